import type { EventMetadata, OrderSummary } from '../domain/order-events';
import type { AlertLog } from './ports';

/**
 * An order put ON_HOLD waits for ops (a refused capture, a delivery exception, a re-route that
 * ran out of time): it becomes an alert with the reason, once per event.
 */
export async function recordOrderHoldAlert(
  deps: { alerts: AlertLog },
  detail: { metadata: EventMetadata; data: Pick<OrderSummary, 'orderId' | 'channel' | 'reason'> },
): Promise<void> {
  const { metadata, data } = detail;
  await deps.alerts.record({
    id: metadata.eventId,
    type: 'OrderOnHold',
    raisedAt: metadata.occurredAt,
    subject: { orderId: data.orderId, channel: data.channel },
    message: `Order ${data.orderId} is ON_HOLD for ops: ${data.reason ?? 'no reason given'}`,
  });
}
