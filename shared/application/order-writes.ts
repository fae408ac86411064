import type { Principal } from '../domain/access';
import type { Order } from '../domain/order';
import { getOrder } from './get-order';
import { type OrderRepository, StaleOrderVersion } from './ports';

/** Tries at writing one order against racing writers (other shipments' steps, webhooks): bounded, but ample. */
export const ORDER_WRITE_ATTEMPTS = 8;

/**
 * Writes `change(order)` over a fresh read, and reads again when a racing writer got there first
 * (StaleOrderVersion). `change` returns undefined when there is nothing to write. Returns the
 * order as stored, and whether this call wrote it.
 */
export async function rewriteOrder(
  deps: { orders: OrderRepository },
  orderId: string,
  change: (order: Order) => Order | undefined,
  viewer?: Principal,
): Promise<{ order: Order; written: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const order = await getOrder(deps, orderId, viewer);
    const changed = change(order);
    if (!changed) return { order, written: false };
    try {
      await deps.orders.update(changed);
      return { order: changed, written: true };
    } catch (error) {
      if (!(error instanceof StaleOrderVersion) || attempt >= ORDER_WRITE_ATTEMPTS) throw error;
    }
  }
}
