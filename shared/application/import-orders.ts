import type { Principal } from '../domain/access';
import { requireChannel } from '../domain/access';
import { DomainError } from '../domain/errors';
import type { OrderDraft } from '../domain/order';
import { type PlaceOrderDeps, placeOrder } from './place-order';

export type OrderImportRow =
  | { row: number; status: 'placed' | 'replayed'; orderId: string; externalOrderId?: string }
  | { row: number; status: 'rejected'; externalOrderId?: string; error: string };

/**
 * Places a batch of orders, each exactly once: order i of a request carries the request's
 * Idempotency-Key plus i, so a retried import replays what it placed and places the rest. Orders
 * are independent: a refused one (a bad cell, a channel not the caller's) does not stop the rest.
 */
export async function importOrders(
  deps: PlaceOrderDeps,
  input: {
    idempotencyKey: string;
    principal: Principal;
    correlationId: string;
    orders: Array<{ draft: OrderDraft } | { invalid: string; externalOrderId?: string }>;
  },
): Promise<{ placed: number; replayed: number; rejected: number; results: OrderImportRow[] }> {
  const results: OrderImportRow[] = [];
  for (const [index, order] of input.orders.entries()) {
    const row = index + 1;
    if ('invalid' in order) {
      results.push({
        row,
        status: 'rejected',
        error: order.invalid,
        ...(order.externalOrderId ? { externalOrderId: order.externalOrderId } : {}),
      });
      continue;
    }
    const external = order.draft.externalOrderId ? { externalOrderId: order.draft.externalOrderId } : {};
    try {
      requireChannel(input.principal, order.draft.channel);
      const placed = await placeOrder(deps, {
        idempotencyKey: `${input.idempotencyKey}#${index}`,
        caller: input.principal.subject,
        draft: order.draft,
        correlationId: input.correlationId,
      });
      results.push({
        row,
        status: placed.replayed ? 'replayed' : 'placed',
        orderId: placed.order.id,
        ...external,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ row, status: 'rejected', error: error.message, ...external });
    }
  }
  const tally = (status: OrderImportRow['status']) => results.filter((r) => r.status === status).length;
  return { placed: tally('placed'), replayed: tally('replayed'), rejected: tally('rejected'), results };
}
