import { type DomainEvent, EventSource } from './order-events';
import type { OrderReturn, ReturnStatus } from './returns';

export const ReturnEventType = {
  REQUESTED: 'ReturnRequested',
  APPROVED: 'ReturnApproved',
  REJECTED: 'ReturnRejected',
  IN_TRANSIT: 'ReturnInTransit',
  RECEIVED: 'ReturnReceived',
  REFUNDED: 'ReturnRefunded',
  EXCHANGED: 'ReturnExchanged',
  CLOSED: 'ReturnClosed',
} as const satisfies Record<ReturnStatus, string>;
/** Events of a return that are not a status: the label the customer sends the parcel with. */
export const RETURN_LABEL_ISSUED = 'ReturnLabelIssued';
export const RETURN_EVENT_TYPES = [...Object.values(ReturnEventType), RETURN_LABEL_ISSUED] as const;
export type ReturnEventType = (typeof ReturnEventType)[keyof typeof ReturnEventType];

export type ReturnEventData = Omit<OrderReturn, 'id' | 'history' | 'version' | 'createdAt' | 'updatedAt'> & {
  returnId: string;
  customerEmail: string;
};

/** The event of a return's current version, named by its status unless told (stable id: a retried step publishes it once). */
export function returnEvent(
  rma: OrderReturn,
  order: { email: string; correlationId: string },
  detailType: string = ReturnEventType[rma.status],
): DomainEvent<ReturnEventData> {
  const { id, history: _h, version, createdAt: _c, updatedAt, ...rest } = rma;
  return {
    source: EventSource.RETURNS,
    detailType,
    detail: {
      metadata: {
        eventId: `${id}-${version}`,
        orderId: rma.orderId,
        sequence: version,
        occurredAt: updatedAt,
        correlationId: order.correlationId,
      },
      data: { returnId: id, customerEmail: order.email, ...rest },
    },
  };
}
