import { type LateOrder, lateness, STAGE_SLAS, type Stage } from '../domain/late-orders';
import type { Clock, OrderRepository } from './ports';

/** Orders read per status at most: an ops view of work in progress, not an export. */
const MAX_PER_STATUS = 1_000;

/**
 * Orders standing in a stage longer than its SLA (or `olderThanHours`), longest first. Reads the
 * orders of each status of the stage by the status index, newest first, up to MAX_PER_STATUS.
 */
export async function lateOrders(
  deps: { orders: OrderRepository; clock: Clock },
  query: { stage?: Stage; olderThanHours?: number },
): Promise<{ items: LateOrder[]; truncated: boolean }> {
  const now = deps.clock.now();
  const items: LateOrder[] = [];
  let truncated = false;
  for (const sla of STAGE_SLAS.filter((s) => !query.stage || s.stage === query.stage)) {
    for (const status of sla.statuses) {
      let cursor: string | undefined;
      let read = 0;
      do {
        const page = await deps.orders.list({ status }, { limit: 100, ...(cursor ? { cursor } : {}) });
        read += page.items.length;
        for (const order of page.items) {
          const late = lateness(order, now, query.olderThanHours);
          if (late) items.push(late);
        }
        cursor = page.nextCursor;
      } while (cursor && read < MAX_PER_STATUS);
      if (cursor) truncated = true;
    }
  }
  return { items: items.sort((a, b) => b.waitedHours - a.waitedHours), truncated };
}
