import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type AllocateOrderDeps, allocateOrder } from '../../shared/application/allocate-order';
import { workflowTask } from '../lib/workflow-task';

/** Step Functions task `{ orderId }` -> `{ orderId, status, shortages? }`. */
export const createHandler = (deps: AllocateOrderDeps) =>
  workflowTask((input: { orderId: string }) => allocateOrder(deps, input.orderId));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  events: awsAdapters.events(),
  clock: systemClock,
});
