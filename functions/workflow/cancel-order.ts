import { type BackorderDeps, cancelOrder } from '../../shared/application/backorders';
import { backorderDeps } from '../lib/backorder-deps';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId, reason }`: cancels and releases what the order holds. */
export const createHandler = (deps: BackorderDeps) =>
  taskHandler((input: { orderId: string; reason: string }) => cancelOrder(deps, input));

export const handler = createHandler(backorderDeps());
