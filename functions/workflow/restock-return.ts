import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { restockReturn } from '../../shared/application/return-fulfilment';
import { returnDeps } from '../lib/return-deps';
import { taskHandler } from '../lib/task-handler';

export const createHandler = (deps: Parameters<typeof restockReturn>[0]) =>
  taskHandler((input: { returnId: string }) => restockReturn(deps, input.returnId));

export const handler = createHandler({
  ...returnDeps(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
});
