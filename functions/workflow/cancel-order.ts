import { type CancelOrderDeps, cancelExpiredBackorder } from '../../shared/application/cancel-order';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId, reason }`: cancels, releases what the order holds, voids what its payment still holds. */
export const createHandler = (deps: CancelOrderDeps) =>
  taskHandler((input: { orderId: string; reason: string }) => cancelExpiredBackorder(deps, input));

export const handler = createHandler(cancelOrderDeps());
