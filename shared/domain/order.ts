import type { Cancellation } from './cancellation';
import { ValidationError } from './errors';
import type { MarketplaceRef } from './marketplaces';
import type { OrderEdit } from './order-edits';
import { assertTransition, type OrderStatus } from './order-status';
import { addMovement, moneyOf, type PaymentMoney, type PaymentMovement } from './payment-money';

export const PAYMENT_METHODS = ['card', 'pix', 'boleto', 'paypal', 'invoice'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/**
 * How an order is paid: a method the customer chose, or one the OMS sets: `exchange` (paid by the
 * goods of a return) or `marketplace` (the marketplace charged the buyer and pays the seller out).
 */
export type OrderPaymentMethod = PaymentMethod | 'exchange' | 'marketplace';

/** Which orders: the orders list's filters, and the orders a bulk job acts on. */
export interface OrderFilter {
  status?: OrderStatus;
  channel?: string;
  customerId?: string;
  /** Placed on or after this day (UTC, YYYY-MM-DD). */
  from?: string;
  /** Placed on or before this day (UTC). */
  to?: string;
  /** Has a line of this SKU. */
  sku?: string;
  /** The customer's email, whatever its case. */
  customerEmail?: string;
  externalOrderId?: string;
}

/** Net terms of an invoice: paid within N days of confirmation. */
export const PAYMENT_TERMS = ['NET15', 'NET30', 'NET45', 'NET60', 'NET90'] as const;
export type PaymentTerms = (typeof PAYMENT_TERMS)[number];
export const DEFAULT_PAYMENT_TERMS: PaymentTerms = 'NET30';
export const termsDays = (terms: PaymentTerms): number => Number(terms.slice(3));

export const SHIPPING_METHODS = ['standard', 'express'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];

export interface Customer {
  id?: string;
  email: string;
  name: string;
}

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  lat?: number;
  lon?: number;
}

export interface OrderLineDraft {
  sku: string;
  quantity: number;
  /** Integer minor units of the order currency. */
  unitPrice: number;
}

export interface OrderLine extends OrderLineDraft {
  lineNumber: number;
  lineTotal: number;
  /** Units cancelled since placement; `quantity` stays what the customer ordered. */
  cancelledQuantity?: number;
}

/** What the customer asked for, before the OMS gives it an id, totals and a status. */
export interface OrderDraft {
  channel: string;
  externalOrderId?: string;
  customer: Customer;
  shippingAddress: Address;
  lines: OrderLineDraft[];
  currency: string;
  payment: { method: OrderPaymentMethod; token?: string; terms?: PaymentTerms };
  shippingMethod?: ShippingMethod;
  /** A replacement the OMS places for an exchange: the return whose goods pay for it. */
  exchangeOf?: ExchangeLink;
  purchaseOrder?: PurchaseOrder;
  salesRep?: SalesRep;
  /** Placed again from this earlier order (POST /orders/{id}/reorder). */
  reorderOf?: string;
  /** Taken from a marketplace (POST /marketplaces/{marketplace}/orders). */
  marketplace?: MarketplaceRef;
  /** Placed by a run of this subscription (a recurring order). */
  subscriptionId?: string;
}

/** A business customer's purchase order: what its accounts payable match the invoice against. */
export interface PurchaseOrder {
  number: string;
  company: { id: string; name: string };
  /** Who at the company ordered. */
  buyer: { name: string; email: string };
  costCenter?: string;
}

/** A sales rep who placed the order on the company's behalf. */
export interface SalesRep {
  id: string;
  name: string;
  email?: string;
}

export interface ExchangeLink {
  orderId: string;
  returnId: string;
}

export const PaymentStatus = {
  PENDING: 'PENDING',
  AUTHORIZED: 'AUTHORIZED',
  DEFERRED: 'DEFERRED',
  DECLINED: 'DECLINED',
  /** Nothing to charge: the goods of a return pay for it (an exchange's replacement order). */
  COVERED: 'COVERED',
  /** Charged by the marketplace, which pays the seller out: nothing to authorize, capture or refund here. */
  COLLECTED: 'COLLECTED',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
export const PAYMENT_STATUSES = Object.values(PaymentStatus);

export interface Payment {
  method: OrderPaymentMethod;
  /** Provider token; kept for authorization, never shown by the API. */
  token?: string;
  status: PaymentStatus;
  authorizationId?: string;
  /** What the provider authorized (the order's total at confirmation). */
  authorizedAmount?: number;
  /** Captures, voids and refunds made against the authorization, in order. */
  movements?: PaymentMovement[];
  reference?: string;
  declineCode?: string;
  /** On an invoice: net terms, and when it falls due (confirmation + the terms' days). */
  terms?: PaymentTerms;
  dueAt?: string;
  /** Authorizations an edit replaced with a larger one (each voided for what it still held). */
  replacedAuthorizations?: Array<{ authorizationId: string; outstanding: number; at: string }>;
}

export interface Totals {
  itemCount: number;
  subtotal: number;
  /** Equals subtotal until shipping charges and taxes are priced by later stages. */
  grandTotal: number;
}

/** Part of an order that leaves from one location, as routing planned it. */
export interface Shipment {
  /** `<orderId>-<n>`, stable for the order. */
  id: string;
  locationId: string;
  /** What it carries now (less than planned once some of its units were cancelled). */
  lines: Array<{ sku: string; quantity: number }>;
  /** Every unit of it was cancelled before it left. */
  cancelled?: boolean;
}

/** Why an order is ON_HOLD and where it stood, so a release resumes it there. */
export interface Hold {
  /** fraud, payment, address, ops (placed by ops), or `workflow` (the OMS itself: a refused capture, say). */
  kind: string;
  reason: string;
  by: string;
  at: string;
  /** The status the order had when it was held: a release puts it back there. */
  from: OrderStatus;
}

export interface TimelineEntry {
  status: OrderStatus;
  at: string;
  reason?: string;
}

export interface Order {
  id: string;
  channel: string;
  externalOrderId?: string;
  customer: Customer;
  shippingAddress: Address;
  lines: OrderLine[];
  currency: string;
  payment: Payment;
  shippingMethod: ShippingMethod;
  totals: Totals;
  status: OrderStatus;
  statusReason?: string;
  /** Incremented on every change; writes are conditional on it (optimistic locking). */
  version: number;
  correlationId: string;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  /** Set by routing: where each part of the order ships from. */
  shipments?: Shipment[];
  /** Every accepted cancellation, of lines or of the whole order, in order. */
  cancellations?: Cancellation[];
  /** Set while the order is ON_HOLD. */
  hold?: Hold;
  /** Set on an exchange's replacement order. */
  exchangeOf?: ExchangeLink;
  purchaseOrder?: PurchaseOrder;
  salesRep?: SalesRep;
  reorderOf?: string;
  marketplace?: MarketplaceRef;
  subscriptionId?: string;
  /** Every accepted edit (lines, address, service level), in order. */
  edits?: OrderEdit[];
}

/** Builds a PENDING order from a validated draft; totals are always computed here, never trusted. */
export function createOrder(
  draft: OrderDraft,
  ids: { id: string; now: string; correlationId?: string },
): Order {
  const lines = draft.lines.map((line, index) => ({
    lineNumber: index + 1,
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    lineTotal: line.quantity * line.unitPrice,
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  return {
    id: ids.id,
    channel: draft.channel,
    ...(draft.externalOrderId === undefined ? {} : { externalOrderId: draft.externalOrderId }),
    ...(draft.exchangeOf === undefined ? {} : { exchangeOf: draft.exchangeOf }),
    ...(draft.purchaseOrder === undefined ? {} : { purchaseOrder: draft.purchaseOrder }),
    ...(draft.salesRep === undefined ? {} : { salesRep: draft.salesRep }),
    ...(draft.reorderOf === undefined ? {} : { reorderOf: draft.reorderOf }),
    ...(draft.marketplace === undefined ? {} : { marketplace: draft.marketplace }),
    ...(draft.subscriptionId === undefined ? {} : { subscriptionId: draft.subscriptionId }),
    customer: draft.customer,
    shippingAddress: draft.shippingAddress,
    lines,
    currency: draft.currency,
    payment: {
      ...draft.payment,
      // An invoice is on net terms: the store's default unless the order names its own.
      ...(draft.payment.method === 'invoice' ? { terms: draft.payment.terms ?? DEFAULT_PAYMENT_TERMS } : {}),
      status: PaymentStatus.PENDING,
    },
    shippingMethod: draft.shippingMethod ?? 'standard',
    totals: { itemCount: lines.reduce((n, line) => n + line.quantity, 0), subtotal, grandTotal: subtotal },
    status: 'PENDING',
    version: 1,
    correlationId: ids.correlationId ?? ids.id,
    createdAt: ids.now,
    updatedAt: ids.now,
    timeline: [{ status: 'PENDING', at: ids.now }],
  };
}

/** Moves an order to a new status, recording it in the timeline; rejects illegal moves. */
export function transitionOrder(
  order: Order,
  to: OrderStatus,
  at: string,
  changes: {
    reason?: string;
    payment?: Payment;
    shipments?: Shipment[];
    hold?: Pick<Hold, 'kind' | 'by'> & { from?: OrderStatus };
  } = {},
): Order {
  assertTransition(order.status, to);
  const { statusReason: _previousReason, hold: _released, ...rest } = order;
  const hold: Hold | undefined =
    to === 'ON_HOLD'
      ? {
          kind: changes.hold?.kind ?? 'workflow',
          by: changes.hold?.by ?? 'oms',
          reason: changes.reason ?? 'on hold',
          at,
          from: changes.hold?.from ?? order.status,
        }
      : undefined;
  return {
    ...rest,
    ...(hold ? { hold } : {}),
    ...(changes.payment ? { payment: changes.payment } : {}),
    ...(changes.shipments ? { shipments: changes.shipments } : {}),
    ...(changes.reason === undefined ? {} : { statusReason: changes.reason }),
    status: to,
    version: order.version + 1,
    updatedAt: at,
    timeline: [
      ...order.timeline,
      { status: to, at, ...(changes.reason === undefined ? {} : { reason: changes.reason }) },
    ],
  };
}

/** A shipment added after routing (a rejected one re-routed); the status does not change. */
export function addShipment(order: Order, shipment: Shipment, at: string): Order {
  return {
    ...order,
    shipments: [...(order.shipments ?? []), shipment],
    version: order.version + 1,
    updatedAt: at,
  };
}

/** A capture, void or refund the provider made, recorded on the order once (by its key). */
export function recordMovement(order: Order, movement: PaymentMovement): Order {
  return {
    ...order,
    payment: {
      ...order.payment,
      movements: addMovement(order.payment.movements, { ...movement, orderVersion: order.version + 1 }),
    },
    version: order.version + 1,
    updatedAt: movement.at,
  };
}

/** The order's money: nothing is authorized until the provider authorized it (a deferred payment is paid later). */
export function orderMoney(order: Order): PaymentMoney {
  const authorized =
    order.payment.status === PaymentStatus.AUTHORIZED
      ? (order.payment.authorizedAmount ?? order.totals.grandTotal)
      : 0;
  return moneyOf(authorized, order.payment.movements);
}

/**
 * What ordering again from `order` asks for: what it still holds (cancelled units left out), at
 * the prices it was sold at, to the same address, by the same customer, company and buyer, paid
 * the same way. A card or wallet token is never reused: the caller brings a new one.
 */
export function reorderDraft(
  order: Order,
  changes: {
    purchaseOrderNumber?: string;
    payment?: { method: PaymentMethod; token?: string; terms?: PaymentTerms };
    externalOrderId?: string;
  },
): OrderDraft {
  const lines = order.lines
    .map((l) => ({ sku: l.sku, quantity: l.quantity - (l.cancelledQuantity ?? 0), unitPrice: l.unitPrice }))
    .filter((l) => l.quantity > 0);
  if ((order.payment.method === 'exchange' || order.payment.method === 'marketplace') && !changes.payment) {
    const detail = `the order was paid by ${order.payment.method === 'exchange' ? 'a return' : 'its marketplace'}: name how to pay this time`;
    throw new ValidationError(`Cannot order again: ${detail}`, [{ pointer: '#/payment', detail }]);
  }
  const method = changes.payment?.method ?? (order.payment.method as PaymentMethod);
  if ((method === 'card' || method === 'paypal') && !changes.payment?.token) {
    const detail = `a ${method} payment needs a new token: a token is never reused`;
    throw new ValidationError(`Cannot order again: ${detail}`, [{ pointer: '#/payment/token', detail }]);
  }
  return {
    channel: order.channel,
    ...(changes.externalOrderId ? { externalOrderId: changes.externalOrderId } : {}),
    customer: order.customer,
    shippingAddress: order.shippingAddress,
    lines,
    currency: order.currency,
    payment: changes.payment ?? {
      method,
      ...(order.payment.terms ? { terms: order.payment.terms } : {}),
    },
    shippingMethod: order.shippingMethod,
    ...(order.purchaseOrder
      ? {
          purchaseOrder: {
            ...order.purchaseOrder,
            ...(changes.purchaseOrderNumber ? { number: changes.purchaseOrderNumber } : {}),
          },
        }
      : {}),
    ...(order.salesRep ? { salesRep: order.salesRep } : {}),
    reorderOf: order.id,
  };
}
