import { OrderStatus } from '../domain/order-status';
import type { Clock, OrderRepository, OrderWorkflow } from './ports';

/** Placing answers in milliseconds: an order PENDING this long never got its workflow started. */
export const PENDING_GRACE_SECONDS = 120;

/**
 * The sweeper: orders left PENDING past the grace period (StartExecution failed after the order
 * was written, and the channel did not retry) get their workflow started. Starting is
 * idempotent (the execution is named after the order), so an order whose execution exists, or
 * two sweeps at once, start nothing twice.
 */
export async function restartPendingOrders(
  deps: { orders: OrderRepository; workflow: OrderWorkflow; clock: Clock },
  graceSeconds = PENDING_GRACE_SECONDS,
): Promise<{ started: string[] }> {
  const before = new Date(Date.parse(deps.clock.now()) - graceSeconds * 1000).toISOString();
  const started: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.orders.list(
      { status: OrderStatus.PENDING },
      { limit: 100, ...(cursor ? { cursor } : {}) },
    );
    for (const order of page.items) {
      if (order.createdAt > before) continue;
      await deps.workflow.start(order);
      started.push(order.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { started };
}
