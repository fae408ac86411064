import type { StockSignalData } from '../domain/inventory-events';
import { type RenderInput, renderNotification } from '../domain/notifications';
import type { EventMetadata } from '../domain/order-events';
import type { ShipmentEventData } from '../domain/shipment-events';
import type { NotificationSender, OrderRepository } from './ports';

export interface NotifyDeps {
  orders: OrderRepository;
  sender: NotificationSender;
  operationsAddress: string;
}

type BusEvent = { detailType: string; detail: { metadata: EventMetadata; data: unknown } };

async function customer(deps: NotifyDeps, orderId: string) {
  const order = await deps.orders.get(orderId);
  return order
    ? { order, who: { id: order.id, email: order.customer.email, name: order.customer.name } }
    : undefined;
}

/** What an event asks to say, to whom; undefined when it calls for no message. */
async function messageFor(deps: NotifyDeps, event: BusEvent): Promise<RenderInput | undefined> {
  const { detailType } = event;
  if (detailType === 'StockLow' || detailType === 'StockOut') {
    const data = event.detail.data as StockSignalData;
    return {
      kind: detailType === 'StockOut' ? 'stockOut' : 'stockLow',
      sku: data.sku,
      locationId: data.locationId,
      ats: data.ats,
      threshold: data.lowStockThreshold,
    };
  }
  if (detailType === 'OrderConfirmed') {
    const found = await customer(deps, String(event.detail.metadata.orderId));
    if (!found) return undefined;
    const { order, who } = found;
    return {
      kind: 'orderConfirmed',
      order: {
        ...who,
        total: order.totals.grandTotal,
        currency: order.currency,
        method: order.shippingMethod,
      },
    };
  }
  const data = event.detail.data as ShipmentEventData;
  if (detailType === 'ShipmentSlaBreached') {
    return {
      kind: 'slaBreached',
      orderId: data.orderId,
      shipmentId: data.shipmentId,
      locationId: data.locationId,
      dueAt: data.pickDueAt,
    };
  }
  const tracking = data.latest?.ignored ? undefined : data.latest?.tracking;
  if (detailType === 'ShipmentTrackingUpdated' && tracking === 'exception') {
    return {
      kind: 'deliveryException',
      orderId: data.orderId,
      shipmentId: data.shipmentId,
      ...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
      ...(data.latest?.detail ? { detail: data.latest.detail } : {}),
    };
  }
  const stage =
    detailType === 'ShipmentShipped'
      ? 'shipped'
      : detailType === 'ShipmentTrackingUpdated' &&
          (tracking === 'out_for_delivery' || tracking === 'delivered')
        ? tracking
        : undefined;
  if (!stage) return undefined;
  const found = await customer(deps, data.orderId);
  if (!found) return undefined;
  return {
    kind: 'shipment',
    stage,
    order: found.who,
    shipment: {
      id: data.shipmentId,
      ...(data.carrier ? { carrier: data.carrier.carrier, transitDays: data.carrier.transitDays } : {}),
      ...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
    },
  };
}

/**
 * Renders and sends the message an event calls for: customers hear of confirmation (with a
 * delivery estimate), shipping (with tracking), out for delivery and delivery; operations of low
 * stock, missed pick SLAs and delivery exceptions. An event delivered twice sends one message.
 */
export async function notify(deps: NotifyDeps, event: BusEvent): Promise<boolean> {
  const input = await messageFor(deps, event);
  if (!input) return false;
  const notification = renderNotification(input, {
    eventId: event.detail.metadata.eventId,
    occurredAt: event.detail.metadata.occurredAt,
    operationsAddress: deps.operationsAddress,
  });
  return deps.sender.send(notification);
}
