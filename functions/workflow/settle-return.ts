import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { ulidIds } from '../../shared/adapters/system';
import { settleReturn } from '../../shared/application/return-fulfilment';
import { returnDeps } from '../lib/return-deps';
import { taskHandler } from '../lib/task-handler';

/** Refunds through the provider, or places the exchange's replacement order. */
export const createHandler = (deps: Parameters<typeof settleReturn>[0]) =>
  taskHandler((input: { returnId: string }) => settleReturn(deps, input.returnId));

export const handler = createHandler({
  ...returnDeps(),
  payments: awsAdapters.payments(),
  workflow: awsAdapters.workflow(),
  ids: ulidIds,
});
