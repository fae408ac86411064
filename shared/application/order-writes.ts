import type { Principal } from '../domain/access';
import type { Order } from '../domain/order';
import { getOrder } from './get-order';
import { type OrderRepository, StaleOrderVersion } from './ports';

/** Tries at writing one order against racing writers (other shipments' steps, webhooks): bounded, but ample. */
export const ORDER_WRITE_ATTEMPTS = 8;

/**
 * Writes `change(order)` over a fresh read, and reads again when a racing writer got there first
 * (StaleOrderVersion). `change` returns undefined when there is nothing to write. Returns the
 * order as stored, and whether this call wrote it. `known`, the order as the caller just read or
 * wrote it, stands in for the first read when it leads to a write: the write is versioned, so a
 * stale copy is read again.
 */
export async function rewriteOrder(
  deps: { orders: OrderRepository },
  orderId: string,
  change: (order: Order) => Order | undefined,
  viewer?: Principal,
  known?: Order,
): Promise<{ order: Order; written: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const fromKnown = attempt === 1 && known?.id === orderId && !viewer;
    const order = fromKnown ? known : await getOrder(deps, orderId, viewer);
    const changed = change(order);
    // Nothing to write is decided on a fresh read only: a stale copy is caught by a write, not by a skip.
    if (!changed && fromKnown) continue;
    if (!changed) return { order, written: false };
    try {
      await deps.orders.update(changed);
      return { order: changed, written: true };
    } catch (error) {
      if (!(error instanceof StaleOrderVersion) || attempt >= ORDER_WRITE_ATTEMPTS) throw error;
    }
  }
}
