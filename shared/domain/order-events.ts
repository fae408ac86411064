import type { Cancellation } from './cancellation';
import { type Order, orderMoney, type Shipment } from './order';
import type { OrderEdit } from './order-edits';
import type { PaymentMoney, PaymentMovement } from './payment-money';

export const EventSource = {
  ORDERS: 'oms.orders',
  INVENTORY: 'oms.inventory',
  FULFILLMENT: 'oms.fulfillment',
  CARRIERS: 'oms.carriers',
  RETURNS: 'oms.returns',
  SUBSCRIPTIONS: 'oms.subscriptions',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

export interface EventMetadata {
  /** Stable per (order, version): a re-published event keeps its id, so consumers can deduplicate. */
  eventId: string;
  orderId?: string;
  sequence: number;
  occurredAt: string;
  correlationId: string;
}

/** An event as it goes on the bus: EventBridge's source and detail-type around `{ metadata, data }`. */
export interface DomainEvent<TData = unknown> {
  source: EventSource;
  detailType: string;
  detail: { metadata: EventMetadata; data: TData };
}

export interface OrderSummary {
  orderId: string;
  channel: string;
  externalOrderId?: string;
  customerId?: string;
  customerEmail: string;
  status: Order['status'];
  currency: string;
  grandTotal: number;
  itemCount: number;
  reason?: string;
  paymentStatus: Order['payment']['status'];
  /** When the order was placed: consumers measure each stage from it without reading the order. */
  placedAt: string;
  /** A business order's PO number and company: what an ERP matches it on. */
  purchaseOrderNumber?: string;
  companyId?: string;
}

export const OrderEventType = {
  PLACED: 'OrderPlaced',
  CONFIRMED: 'OrderConfirmed',
  FAILED: 'OrderFailed',
  BACKORDERED: 'OrderBackordered',
  ALLOCATED: 'OrderAllocated',
  ROUTED: 'OrderRouted',
  FULFILLING: 'OrderFulfilling',
  SHIPPED: 'OrderShipped',
  DELIVERED: 'OrderDelivered',
  ON_HOLD: 'OrderOnHold',
  RELEASED: 'OrderReleased',
  CANCELLED: 'OrderCancelled',
  LINES_CANCELLED: 'OrderLineCancelled',
  PAYMENT_CAPTURED: 'PaymentCaptured',
  PAYMENT_VOIDED: 'PaymentVoided',
  EDITED: 'OrderEdited',
} as const;
export type OrderEventType = (typeof OrderEventType)[keyof typeof OrderEventType];

/** The summary every order event carries. */
export function summarizeOrder(order: Order): OrderSummary {
  return {
    orderId: order.id,
    channel: order.channel,
    ...(order.externalOrderId === undefined ? {} : { externalOrderId: order.externalOrderId }),
    ...(order.customer.id === undefined ? {} : { customerId: order.customer.id }),
    customerEmail: order.customer.email,
    status: order.status,
    currency: order.currency,
    grandTotal: order.totals.grandTotal,
    itemCount: order.totals.itemCount,
    paymentStatus: order.payment.status,
    placedAt: order.createdAt,
    ...(order.purchaseOrder
      ? { purchaseOrderNumber: order.purchaseOrder.number, companyId: order.purchaseOrder.company.id }
      : {}),
    ...(order.statusReason === undefined ? {} : { reason: order.statusReason }),
  };
}

/** The event that records the order's current version. */
export function orderEvent(order: Order, detailType: OrderEventType): DomainEvent<OrderSummary> {
  return {
    source: EventSource.ORDERS,
    detailType,
    detail: {
      metadata: {
        eventId: `${order.id}-${order.version}`,
        orderId: order.id,
        sequence: order.version,
        occurredAt: order.updatedAt,
        correlationId: order.correlationId,
      },
      data: summarizeOrder(order),
    },
  };
}

export interface OrderRoutedData extends OrderSummary {
  shipments: Shipment[];
  policyVersion: number;
  /** Units the policy let go unshipped (ship-partial); empty when the order ships whole. */
  notShipped: Array<{ sku: string; quantity: number }>;
  /** The order was BACKORDERED before it could be routed (its stock came later). */
  waitedForStock: boolean;
}

/** The order event of `type` whose data carries `extra` beside the summary. */
function orderEventWith<T extends object>(
  order: Order,
  type: OrderEventType,
  extra: T,
): DomainEvent<OrderSummary & T> {
  const event = orderEvent(order, type);
  return { ...event, detail: { ...event.detail, data: { ...event.detail.data, ...extra } } };
}

/** OrderRouted: where each part of the order ships from, under which policy. */
export function orderRoutedEvent(
  order: Order,
  decision: { policyVersion: number; missing: Array<{ sku: string; quantity: number }> },
): DomainEvent<OrderRoutedData> {
  return orderEventWith(order, OrderEventType.ROUTED, {
    shipments: (order.shipments ?? []).filter((s) => !s.cancelled),
    policyVersion: decision.policyVersion,
    notShipped: decision.missing,
    waitedForStock: order.timeline.some((entry) => entry.status === 'BACKORDERED'),
  });
}

export interface OrderPlacedData extends OrderSummary {
  lines: Array<{ sku: string; quantity: number; lineTotal: number }>;
}

/** OrderPlaced: the summary and what was sold, line by line (revenue per product without reading the order). */
export function orderPlacedEvent(order: Order): DomainEvent<OrderPlacedData> {
  return orderEventWith(order, OrderEventType.PLACED, {
    lines: order.lines.map(({ sku, quantity, lineTotal }) => ({ sku, quantity, lineTotal })),
  });
}

export interface OrderCancelledData extends OrderSummary {
  cancellation: Omit<Cancellation, 'key' | 'requestHash' | 'orderVersion'>;
}

/**
 * OrderCancelled (nothing left open) or OrderLineCancelled: what was cancelled, why, by whom.
 * Its id is the cancellation's, so publishing it again (a repeated request) is deduplicated.
 */
export function orderCancelledEvent(
  order: Order,
  cancellation: Cancellation,
): DomainEvent<OrderCancelledData> {
  const event = orderEvent(
    order,
    cancellation.whole ? OrderEventType.CANCELLED : OrderEventType.LINES_CANCELLED,
  );
  const { key: _key, requestHash: _hash, orderVersion: _version, ...shown } = cancellation;
  return {
    ...event,
    detail: {
      metadata: {
        ...event.detail.metadata,
        eventId: cancellation.id,
        sequence: cancellation.orderVersion,
        occurredAt: cancellation.at,
      },
      data: { ...event.detail.data, cancellation: shown },
    },
  };
}

export interface PaymentMovedData extends OrderSummary {
  movement: Omit<PaymentMovement, 'orderVersion'>;
  money: PaymentMoney;
}

/**
 * PaymentCaptured / PaymentVoided: one movement against the order's authorization, with the
 * money after it. Its id is the movement's key, so publishing it again is deduplicated.
 */
export function paymentMovedEvent(order: Order, movement: PaymentMovement): DomainEvent<PaymentMovedData> {
  const type = movement.kind === 'capture' ? OrderEventType.PAYMENT_CAPTURED : OrderEventType.PAYMENT_VOIDED;
  const event = orderEvent(order, type);
  const { orderVersion, ...shown } = movement;
  return {
    ...event,
    detail: {
      metadata: {
        ...event.detail.metadata,
        eventId: `${order.id}-${movement.key}`,
        sequence: orderVersion ?? order.version,
        occurredAt: movement.at,
      },
      data: { ...event.detail.data, movement: shown, money: orderMoney(order) },
    },
  };
}

export interface OrderEditedData extends OrderSummary {
  edit: Omit<OrderEdit, 'key' | 'requestHash'>;
}

/** An accepted edit: what changed, before and after, and the shipments it called off. */
export function orderEditedEvent(order: Order, edit: OrderEdit): DomainEvent<OrderEditedData> {
  const { key: _key, requestHash: _hash, ...shown } = edit;
  const event = orderEvent(order, OrderEventType.EDITED);
  return { ...event, detail: { ...event.detail, data: { ...event.detail.data, edit: shown } } };
}
