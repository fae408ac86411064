import type { Principal } from '../domain/access';
import type { EventMetadata } from '../domain/order-events';
import { getOrder } from './get-order';
import type { OrderActivity, OrderActivityLog, OrderRepository } from './ports';

/** An order event as the activity log keeps it. */
export interface ActivityEvent {
  detailType: string;
  source: string;
  detail: { metadata: EventMetadata & { orderId: string }; data: unknown };
}

/** Records order events (a batch, of any orders) in their orders' activity logs; an event twice is read once. */
export async function recordOrderActivity(
  deps: { activity: OrderActivityLog },
  events: readonly ActivityEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await deps.activity.record(
    events.map((event) => ({
      orderId: event.detail.metadata.orderId,
      eventId: event.detail.metadata.eventId,
      sequence: event.detail.metadata.sequence,
      type: event.detailType,
      source: event.source,
      occurredAt: event.detail.metadata.occurredAt,
      data: event.detail.data,
    })),
  );
}

/** Every event recorded for an order, in sequence order; NotFoundError for an unknown order. */
export async function listOrderActivity(
  deps: { orders: OrderRepository; activity: OrderActivityLog },
  orderId: string,
  viewer?: Principal,
): Promise<OrderActivity[]> {
  await getOrder(deps, orderId, viewer);
  return deps.activity.list(orderId);
}
