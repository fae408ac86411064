import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type ConfirmOrderDeps, confirmOrder } from '../../shared/application/confirm-order';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task: the workflow passes `{ orderId }`; domain errors keep their `name` for the ASL. */
export const createHandler = (deps: ConfirmOrderDeps) =>
  taskHandler((input: { orderId: string }) => confirmOrder(deps, input.orderId));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  payments: awsAdapters.payments(),
  events: awsAdapters.events(),
  clock: systemClock,
});
