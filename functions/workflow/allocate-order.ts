import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type AllocateOrderDeps, allocateOrder } from '../../shared/application/allocate-order';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId }` -> `{ orderId, status, shortages? }`. */
export const createHandler = (deps: AllocateOrderDeps) =>
  taskHandler((input: { orderId: string }) => allocateOrder(deps, input.orderId));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  events: awsAdapters.events(),
  clock: systemClock,
});
