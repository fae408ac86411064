import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { issueReturnLabel } from '../../shared/application/return-fulfilment';
import { returnDeps } from '../lib/return-deps';
import { taskHandler } from '../lib/task-handler';

export const createHandler = (deps: Parameters<typeof issueReturnLabel>[0]) =>
  taskHandler((input: { returnId: string }) => issueReturnLabel(deps, input.returnId));

export const handler = createHandler({
  ...returnDeps(),
  locations: awsAdapters.locations(),
  carriers: awsAdapters.carriers(),
  shipments: awsAdapters.shipments(),
});
