import type { EventMetadata } from '../domain/order-events';
import type { ShipmentEventData } from '../domain/shipment-events';
import type { AlertLog } from './ports';

function messageFor(detailType: string, data: ShipmentEventData): string | undefined {
  if (detailType === 'ShipmentSlaBreached')
    return `Shipment ${data.shipmentId} was not packed at ${data.locationId} by ${data.pickDueAt}`;
  if (detailType === 'ShipmentRejected')
    return `Shipment ${data.shipmentId} was rejected at ${data.locationId}: ${data.rejectionReason ?? 'no reason given'}`;
  const latest = data.latest;
  if (detailType !== 'ShipmentTrackingUpdated' || !latest || latest.ignored) return undefined;
  if (latest.tracking === 'exception')
    return `Delivery exception on shipment ${data.shipmentId} (${data.trackingNumber})${latest.detail ? `: ${latest.detail}` : ''}`;
  if (latest.tracking === 'returned_to_sender')
    return `Shipment ${data.shipmentId} (${data.trackingNumber}) is being returned to sender`;
  return undefined;
}

/** Turns a shipment in trouble (SLA breached, rejected, delivery exception, returned) into an alert; once per event. */
export async function recordShipmentAlert(
  deps: { alerts: AlertLog },
  event: { detailType: string; detail: { metadata: EventMetadata; data: ShipmentEventData } },
): Promise<boolean> {
  const { data, metadata } = event.detail;
  const message = messageFor(event.detailType, data);
  if (!message) return false;
  await deps.alerts.record({
    id: metadata.eventId,
    type:
      event.detailType === 'ShipmentTrackingUpdated'
        ? `Shipment${data.latest?.tracking === 'exception' ? 'Exception' : 'Returned'}`
        : event.detailType,
    raisedAt: metadata.occurredAt,
    subject: { orderId: data.orderId, shipmentId: data.shipmentId, locationId: data.locationId },
    message,
  });
  return true;
}
