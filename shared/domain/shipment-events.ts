import { type DomainEvent, EventSource } from './order-events';
import type { ShipmentRecord } from './shipment';

export const ShipmentEventType = {
  PICK_REQUESTED: 'ShipmentPickRequested',
  PICKED: 'ShipmentPicked',
  PACKED: 'ShipmentPacked',
  REJECTED: 'ShipmentRejected',
  SLA_BREACHED: 'ShipmentSlaBreached',
  SHIPPED: 'ShipmentShipped',
  TRACKING_UPDATED: 'ShipmentTrackingUpdated',
  /** Some or all of a shipment's units were cancelled: the warehouse should stop picking them. */
  CANCEL_REQUESTED: 'ShipmentCancelRequested',
} as const;
export type ShipmentEventType = (typeof ShipmentEventType)[keyof typeof ShipmentEventType];

export type ShipmentEventData = Omit<
  ShipmentRecord,
  'history' | 'version' | 'createdAt' | 'updatedAt' | 'id'
> & {
  shipmentId: string;
  /** The update that produced this event, for tracking events. */
  latest?: ShipmentRecord['history'][number];
};

/** A shipment event for its current version (stable id: a retried task re-publishes the same one). */
export function shipmentEvent(
  shipment: ShipmentRecord,
  detailType: ShipmentEventType,
  correlationId: string,
  suffix = '',
): DomainEvent<ShipmentEventData> {
  const { history, version, createdAt: _c, updatedAt, id, correlationId: _kept, ...rest } = shipment;
  return {
    source: EventSource.FULFILLMENT,
    detailType,
    detail: {
      metadata: {
        eventId: `${id}-${version}${suffix}`,
        orderId: shipment.orderId,
        sequence: version,
        occurredAt: updatedAt,
        correlationId,
      },
      data: {
        shipmentId: id,
        ...rest,
        ...(detailType === ShipmentEventType.TRACKING_UPDATED ? { latest: history.at(-1) } : {}),
      },
    },
  };
}
