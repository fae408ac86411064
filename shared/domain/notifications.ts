import type { ShippingMethod } from './order';
import { RETURN_EVENT_TYPES } from './return-events';

/** Every return event tells the customer where their return stands. */
export const CUSTOMER_RETURN_NOTICES: readonly string[] = RETURN_EVENT_TYPES;

/**
 * The carrier scans someone is told of: the customer of out for delivery and delivery, operations
 * of an exception. The bus's rule lets only these reach the notifier (a scan applied late, marked
 * `ignored`, neither): in transit and the like would invoke it for nothing.
 */
export const TRACKING_NOTICES = ['out_for_delivery', 'delivered', 'exception'] as const;

/** A message for a customer or for the internal teams, rendered from one event. */
export interface Notification {
  /** `<event id>:<template>`: the same event renders the same notification once. */
  id: string;
  template: string;
  audience: 'customer' | 'operations';
  channel: 'email';
  to: string;
  subject: string;
  body: string;
  orderId?: string;
  createdAt: string;
}

/**
 * A notification as the outbox holds it: filed PENDING before it goes out, then SENT with the
 * mail service's message id, or FAILED when the service refused it for good (a bad address).
 */
export interface OutboxEntry extends Notification {
  delivery: 'PENDING' | 'SENT' | 'FAILED';
  messageId?: string;
  settledAt?: string;
  failure?: string;
  /** While a sender holds it: no other delivery of the event may send it before this time. */
  sendingUntil?: string;
}

/** Business days a service level takes, door to door, before a carrier is chosen. */
const PROMISE: Record<ShippingMethod, [number, number]> = { standard: [3, 7], express: [1, 3] };

function addBusinessDays(from: string, days: number): string {
  const date = new Date(from);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const day = date.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return date.toISOString().slice(0, 10);
}

/** The window promised at confirmation: from the first to the last business day of the service level. */
export function deliveryEstimate(confirmedAt: string, method: ShippingMethod): { from: string; to: string } {
  const [min, max] = PROMISE[method];
  return { from: addBusinessDays(confirmedAt, min), to: addBusinessDays(confirmedAt, max) };
}

const money = (minor: number, currency: string) => `${currency} ${(minor / 100).toFixed(2)}`;

export interface NotificationContext {
  eventId: string;
  occurredAt: string;
  /** Where internal messages go. */
  operationsAddress: string;
}

export type RenderInput =
  | {
      kind: 'orderConfirmed';
      order: {
        id: string;
        email: string;
        name: string;
        total: number;
        currency: string;
        method: ShippingMethod;
      };
    }
  | {
      kind: 'orderEdited';
      order: { id: string; email: string; name: string; currency: string };
      lines: Array<{ sku: string; quantity: number }>;
      /** What the open lines are now worth, in minor units. */
      total: number;
      addressChanged: boolean;
    }
  | {
      kind: 'shipment';
      stage: 'shipped' | 'out_for_delivery' | 'delivered';
      order: { id: string; email: string; name: string };
      shipment: { id: string; carrier?: string; trackingNumber?: string; transitDays?: number };
    }
  | { kind: 'stockLow' | 'stockOut'; sku: string; locationId: string; ats: number; threshold: number }
  | { kind: 'slaBreached'; orderId: string; shipmentId: string; locationId: string; dueAt: string }
  | {
      kind: 'cancelled';
      order: { id: string; email: string; name: string; currency: string };
      whole: boolean;
      lines: Array<{ sku: string; quantity: number }>;
      /** What goes back to the customer's card (voided), in minor units. */
      amount: number;
    }
  | {
      kind: 'return';
      /** The return event's detail-type. */
      event: string;
      order: { id: string; email: string; name: string; currency: string };
      rma: {
        id: string;
        lines: Array<{ sku: string; quantity: number }>;
        label?: { carrier: string; trackingNumber: string; labelRef: string };
        rejection?: { reason: string };
        refund?: { amount: number; fee: number };
        replacementOrderId?: string;
      };
    }
  | {
      kind: 'subscriptionRenewal';
      subscription: {
        id: string;
        email: string;
        name: string;
        runAt: string;
        total: number;
        currency: string;
        lines: Array<{ sku: string; quantity: number }>;
      };
    }
  | {
      kind: 'deliveryException';
      orderId: string;
      shipmentId: string;
      trackingNumber?: string;
      detail?: string;
    };

/** Renders the message one event calls for (plain text; templates are data-free code, reviewed like code). */
export function renderNotification(input: RenderInput, context: NotificationContext): Notification {
  const base = { channel: 'email' as const, createdAt: context.occurredAt };
  const id = (template: string) => `${context.eventId}:${template}`;
  const internal = (template: string, subject: string, body: string, orderId?: string): Notification => ({
    ...base,
    id: id(template),
    template,
    audience: 'operations',
    to: context.operationsAddress,
    subject,
    body,
    ...(orderId ? { orderId } : {}),
  });
  switch (input.kind) {
    case 'orderConfirmed': {
      const { order } = input;
      const estimate = deliveryEstimate(context.occurredAt, order.method);
      return {
        ...base,
        id: id('order-confirmed'),
        template: 'order-confirmed',
        audience: 'customer',
        to: order.email,
        orderId: order.id,
        subject: `Your order ${order.id} is confirmed`,
        body: `Hi ${order.name}, we have your order ${order.id} (${money(order.total, order.currency)}). Estimated delivery: between ${estimate.from} and ${estimate.to}.`,
      };
    }
    case 'orderEdited': {
      const { order } = input;
      const units = input.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ');
      return {
        ...base,
        id: id('order-edited'),
        template: 'order-edited',
        audience: 'customer',
        to: order.email,
        orderId: order.id,
        subject: `Your order ${order.id} was changed`,
        body: `Hi ${order.name}, your order ${order.id} now holds ${units}, for ${money(input.total, order.currency)}.${input.addressChanged ? ' It will go to the new address you gave us.' : ''}`,
      };
    }
    case 'shipment': {
      const { order, shipment } = input;
      const tracking = shipment.trackingNumber
        ? ` Tracking number: ${shipment.trackingNumber} (${shipment.carrier}).`
        : '';
      const copies: Record<typeof input.stage, [string, string]> = {
        shipped: [
          `Your order ${order.id} has shipped`,
          `Hi ${order.name}, part ${shipment.id} of your order is on its way${shipment.transitDays ? `, expected in ${shipment.transitDays} business day(s)` : ''}.${tracking}`,
        ],
        out_for_delivery: [
          `Your order ${order.id} is out for delivery`,
          `Hi ${order.name}, ${shipment.id} arrives today.${tracking}`,
        ],
        delivered: [
          `Your order ${order.id} was delivered`,
          `Hi ${order.name}, ${shipment.id} was delivered. Enjoy!`,
        ],
      };
      const [subject, body] = copies[input.stage];
      return {
        ...base,
        id: id(`shipment-${input.stage}`),
        template: `shipment-${input.stage}`,
        audience: 'customer',
        to: order.email,
        orderId: order.id,
        subject,
        body,
      };
    }
    case 'subscriptionRenewal': {
      const { subscription: sub } = input;
      const units = sub.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ');
      return {
        ...base,
        id: id('subscription-renewal'),
        template: 'subscription-renewal',
        audience: 'customer',
        to: sub.email,
        subject: `Your next order is coming on ${sub.runAt.slice(0, 10)}`,
        body: `Hi ${sub.name}, on ${sub.runAt.slice(0, 10)} we will place your next order of subscription ${sub.id} (${units}) and charge ${money(sub.total, sub.currency)}. To skip it, pause or cancel, reply or visit your account before then.`,
      };
    }
    case 'cancelled': {
      const { order } = input;
      const what = input.whole
        ? `your order ${order.id} is cancelled`
        : `we cancelled ${input.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ')} from your order ${order.id}; the rest goes on as planned`;
      return {
        ...base,
        id: id(input.whole ? 'order-cancelled' : 'order-lines-cancelled'),
        template: input.whole ? 'order-cancelled' : 'order-lines-cancelled',
        audience: 'customer',
        to: order.email,
        orderId: order.id,
        subject: input.whole
          ? `Your order ${order.id} is cancelled`
          : `Part of your order ${order.id} is cancelled`,
        body: `Hi ${order.name}, ${what}. ${input.amount > 0 ? `${money(input.amount, order.currency)} will not be charged.` : 'You were not charged for it.'}`,
      };
    }
    case 'return': {
      const { order, rma } = input;
      const units = rma.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ');
      const copies: Record<string, [string, string]> = {
        ReturnRequested: [
          'We have your return request',
          `we have your request to return ${units}; we will let you know shortly.`,
        ],
        ReturnApproved: [
          'Your return is approved',
          `your return of ${units} is approved; your return label follows.`,
        ],
        ReturnLabelIssued: [
          'Your return label',
          `print label ${rma.label?.labelRef ?? ''} and hand the parcel to ${rma.label?.carrier ?? 'the carrier'} (tracking ${rma.label?.trackingNumber ?? 'pending'}).`,
        ],
        ReturnRejected: [
          'Your return was not accepted',
          `we could not accept your return: ${rma.rejection?.reason ?? 'see your account'}.`,
        ],
        ReturnInTransit: ['Your return is on its way', `the carrier has your parcel with ${units}.`],
        ReturnReceived: ['We received your return', `your parcel arrived and was checked.`],
        ReturnRefunded: [
          'Your refund is on its way',
          `we refunded ${money(rma.refund?.amount ?? 0, order.currency)}${rma.refund?.fee ? ` (less a ${money(rma.refund.fee, order.currency)} restocking fee)` : ''}.`,
        ],
        ReturnExchanged: [
          'Your replacement is on its way',
          `we placed order ${rma.replacementOrderId ?? ''} to send you the replacement.`,
        ],
        ReturnClosed: ['Your return is complete', 'your return is closed. Thank you.'],
      };
      const [subject, body] = copies[input.event] ?? ['Your return', 'your return was updated.'];
      const template = `return-${input.event.replace(/^Return/, '').replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`)}`;
      return {
        ...base,
        id: id(template),
        template,
        audience: 'customer',
        to: order.email,
        orderId: order.id,
        subject: `${subject} (${rma.id})`,
        body: `Hi ${order.name}, ${body}`,
      };
    }
    case 'stockLow':
    case 'stockOut':
      return internal(
        input.kind === 'stockOut' ? 'stock-out' : 'stock-low',
        `${input.kind === 'stockOut' ? 'Out of stock' : 'Low stock'}: ${input.sku} at ${input.locationId}`,
        `${input.sku} at ${input.locationId} has ${input.ats} available to sell (threshold ${input.threshold}).`,
      );
    case 'slaBreached':
      return internal(
        'pick-sla-breached',
        `Pick SLA breached: shipment ${input.shipmentId}`,
        `${input.locationId} has not packed shipment ${input.shipmentId} (order ${input.orderId}), due ${input.dueAt}.`,
        input.orderId,
      );
    case 'deliveryException':
      return internal(
        'delivery-exception',
        `Delivery exception: shipment ${input.shipmentId}`,
        `The carrier reports a problem with ${input.shipmentId} (${input.trackingNumber ?? 'no tracking'})${input.detail ? `: ${input.detail}` : ''}. Order ${input.orderId} is on hold.`,
        input.orderId,
      );
  }
}
