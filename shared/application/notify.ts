import type { StockSignalData } from '../domain/inventory-events';
import { CUSTOMER_RETURN_NOTICES, type RenderInput, renderNotification } from '../domain/notifications';
import type { EventMetadata, OrderCancelledData, OrderEditedData } from '../domain/order-events';
import type { ReturnEventData } from '../domain/return-events';
import type { ShipmentEventData } from '../domain/shipment-events';
import { type SubscriptionEventData, SubscriptionEventType } from '../domain/subscription-events';
import {
  type Clock,
  type Mailer,
  MessageRejected,
  NotificationInFlight,
  type NotificationOutbox,
  type OrderRepository,
} from './ports';

/** Longer than a send can take (the function's timeout), so a live sender never loses its lease. */
const SEND_LEASE_SECONDS = 60;

const addSeconds = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

export interface NotifyDeps {
  orders: OrderRepository;
  outbox: NotificationOutbox;
  mailer: Mailer;
  clock: Clock;
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
  if (detailType === 'OrderCancelled' || detailType === 'OrderLineCancelled') {
    const { cancellation, ...order } = event.detail.data as OrderCancelledData;
    const found = await customer(deps, order.orderId);
    if (!found) return undefined;
    return {
      kind: 'cancelled',
      order: { ...found.who, currency: order.currency },
      whole: cancellation.whole,
      lines: cancellation.lines,
      amount: cancellation.amount,
    };
  }
  if (detailType === 'OrderEdited') {
    const { edit, ...order } = event.detail.data as OrderEditedData;
    const found = await customer(deps, order.orderId);
    if (!found) return undefined;
    return {
      kind: 'orderEdited',
      order: { ...found.who, currency: order.currency },
      lines: edit.after.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      total: edit.after.openValue,
      addressChanged: edit.changed.includes('shippingAddress'),
    };
  }
  if (detailType === SubscriptionEventType.RENEWAL_UPCOMING) {
    const data = event.detail.data as SubscriptionEventData;
    return {
      kind: 'subscriptionRenewal',
      subscription: {
        id: data.subscriptionId,
        email: data.customerEmail,
        name: data.customerName,
        runAt: data.runAt ?? '',
        total: data.total,
        currency: data.currency,
        lines: data.lines,
      },
    };
  }
  if (CUSTOMER_RETURN_NOTICES.includes(detailType)) {
    const rma = event.detail.data as ReturnEventData;
    const found = await customer(deps, rma.orderId);
    if (!found) return undefined;
    return {
      kind: 'return',
      event: detailType,
      order: { ...found.who, currency: rma.currency },
      rma: {
        id: rma.returnId,
        lines: rma.lines,
        ...(rma.label ? { label: rma.label } : {}),
        ...(rma.rejection ? { rejection: rma.rejection } : {}),
        ...(rma.refund ? { refund: rma.refund } : {}),
        ...(rma.replacementOrderId ? { replacementOrderId: rma.replacementOrderId } : {}),
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
 * stock, missed pick SLAs and delivery exceptions. The message is filed in the outbox before it
 * goes out, so an event delivered twice sends it once; a send cut off before it was settled is
 * tried again on the event's retry (at least once, never silently dropped).
 */
export async function notify(deps: NotifyDeps, event: BusEvent): Promise<boolean> {
  const input = await messageFor(deps, event);
  if (!input) return false;
  const notification = renderNotification(input, {
    eventId: event.detail.metadata.eventId,
    occurredAt: event.detail.metadata.occurredAt,
    operationsAddress: deps.operationsAddress,
  });
  const now = deps.clock.now();
  const filed = await deps.outbox.file(notification, addSeconds(now, SEND_LEASE_SECONDS));
  if (filed.entry.delivery !== 'PENDING') return false;
  if (!filed.claimed) {
    const claim = await deps.outbox.claim(notification.id, now, addSeconds(now, SEND_LEASE_SECONDS));
    if (claim === 'settled') return false;
    // Failing makes EventBridge deliver this copy again later, by when the holder has settled it.
    if (claim === 'busy') throw new NotificationInFlight(`Notification ${notification.id} is being sent`);
  }
  try {
    const { messageId } = await deps.mailer.send({
      to: notification.to,
      subject: notification.subject,
      body: notification.body,
      reference: notification.id,
    });
    await deps.outbox.settle(notification.id, { delivery: 'SENT', messageId }, deps.clock.now());
    return true;
  } catch (error) {
    // Anything else (throttling, an outage) fails the invocation, which EventBridge retries.
    if (!(error instanceof MessageRejected)) {
      await deps.outbox.release(notification.id);
      throw error;
    }
    await deps.outbox.settle(
      notification.id,
      { delivery: 'FAILED', failure: error.message },
      deps.clock.now(),
    );
    return false;
  }
}
