import { DomainError, ErrorCode } from '../domain/errors';
import { type Order, orderMoney, PaymentStatus, recordMovement } from '../domain/order';
import { paymentMovedEvent } from '../domain/order-events';
import { captureKey, type MovementKind, refundKey, shipmentCharge, voidKey } from '../domain/payment-money';
import { getOrder } from './get-order';
import { ORDER_WRITE_ATTEMPTS } from './order-writes';
import {
  type Clock,
  type EventPublisher,
  type OrderRepository,
  type PaymentGateway,
  StaleOrderVersion,
} from './ports';

/** The provider refused to capture a shipment's value: the goods must not leave unpaid. */
export class PaymentCaptureFailed extends DomainError {
  readonly code = ErrorCode.UNPROCESSABLE;
}

/** The provider refused a refund (more than was captured and not yet refunded, say). */
export class PaymentRefundFailed extends DomainError {
  readonly code = ErrorCode.UNPROCESSABLE;
}

/** The provider refused to void what is left of an authorization. */
export class PaymentVoidFailed extends DomainError {
  readonly code = ErrorCode.UNPROCESSABLE;
}

type PaymentDeps = {
  orders: OrderRepository;
  payments: PaymentGateway;
  events: EventPublisher;
  clock: Clock;
};

/**
 * Moves money against the order's authorization under `key` and records it on the order, once.
 * Run again (a retried task, a redelivered step) it moves nothing more: the provider answers the
 * same key with the same result, and the order keeps one movement per key. A payment that is
 * not authorized (deferred: invoice, boleto) has nothing to move; nor has an amount of 0.
 */
async function moveMoney(
  deps: PaymentDeps,
  orderId: string,
  {
    kind,
    key,
    amountOf,
    refused,
    known,
  }: {
    kind: MovementKind;
    key: string;
    amountOf: (order: Order) => number;
    refused: (amount: number, reason: string, code: string) => DomainError;
    /** The order as the caller just read it: the first attempt starts from it (its write is versioned). */
    known?: Order | undefined;
  },
): Promise<Order> {
  for (let attempt = 1; ; attempt++) {
    const fromKnown = attempt === 1 && known?.id === orderId;
    const order = fromKnown ? known : await getOrder(deps, orderId);
    const { payment } = order;
    const earlier = payment.movements?.find((m) => m.key === key);
    const amount = amountOf(order);
    const nothingToMove =
      payment.status !== PaymentStatus.AUTHORIZED || !payment.authorizationId || earlier || amount <= 0;
    // Moving nothing is decided on a fresh read only: a stale copy is caught by the versioned write.
    if (nothingToMove && fromKnown) continue;
    if (payment.status !== PaymentStatus.AUTHORIZED || !payment.authorizationId) return order;
    if (earlier) {
      // Recorded by an attempt that may have stopped before telling anyone (same event id).
      await deps.events.publish([paymentMovedEvent(order, earlier)]);
      return order;
    }
    if (amount <= 0) return order;
    const request = {
      authorizationId: payment.authorizationId,
      amount,
      currency: order.currency,
      idempotencyKey: key,
    };
    const result = await deps.payments[kind](request);
    if (result.outcome === 'refused') throw refused(amount, result.reason, result.code);
    const updated = recordMovement(order, {
      kind,
      key,
      amount: result.amount,
      reference: result.reference,
      at: deps.clock.now(),
    });
    try {
      await deps.orders.update(updated);
      const recorded = updated.payment.movements?.find((m) => m.key === key);
      if (recorded) await deps.events.publish([paymentMovedEvent(updated, recorded)]);
      return updated;
    } catch (error) {
      if (!(error instanceof StaleOrderVersion) || attempt >= ORDER_WRITE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Captures what a shipment carries (its lines at the order's prices, never more than is still
 * authorized) under `capture-<shipmentId>`. A refusal throws PaymentCaptureFailed before
 * anything ships.
 */
export function captureShipment(
  deps: PaymentDeps,
  orderId: string,
  shipment: { id: string; lines: ReadonlyArray<{ sku: string; quantity: number }>; captureRefusals?: number },
  known?: Order,
): Promise<Order> {
  return moveMoney(deps, orderId, {
    known,
    kind: 'capture',
    key: captureKey(shipment.id, shipment.captureRefusals),
    amountOf: (order) =>
      shipmentCharge(
        new Map(order.lines.map((line) => [line.sku, line.unitPrice])),
        shipment.lines,
        orderMoney(order).outstanding,
      ),
    refused: (amount, reason, code) =>
      new PaymentCaptureFailed(`Capturing ${amount} for shipment ${shipment.id} was refused: ${reason}`, {
        orderId,
        shipmentId: shipment.id,
        code,
      }),
  });
}

/** Voids everything still authorized and not captured, for an order that will not ship it (cancelled). */
export function voidOutstanding(deps: PaymentDeps, orderId: string): Promise<Order> {
  return moveMoney(deps, orderId, {
    kind: 'void',
    key: voidKey(orderId),
    amountOf: (order) => orderMoney(order).outstanding,
    refused: (amount, reason, code) =>
      new PaymentVoidFailed(`Voiding ${amount} of order ${orderId} was refused: ${reason}`, {
        orderId,
        code,
      }),
  });
}

/** Voids what a cancellation of some lines takes off the order (never more than is outstanding), once. */
export function voidCancelled(
  deps: PaymentDeps,
  orderId: string,
  cancellation: { id: string; amount: number },
): Promise<Order> {
  return moveMoney(deps, orderId, {
    kind: 'void',
    key: voidKey(cancellation.id),
    amountOf: (order) => Math.min(cancellation.amount, orderMoney(order).outstanding),
    refused: (amount, reason, code) =>
      new PaymentVoidFailed(`Voiding ${amount} for cancellation ${cancellation.id} was refused: ${reason}`, {
        orderId,
        code,
      }),
  });
}

/**
 * Refunds what a return gives back (never more than was captured and not refunded yet) under
 * `refund-<returnId>`, once; the provider's refusal throws PaymentRefundFailed.
 */
export function refundReturn(
  deps: PaymentDeps,
  orderId: string,
  refund: { returnId: string; amount: number },
): Promise<Order> {
  return moveMoney(deps, orderId, {
    kind: 'refund',
    key: refundKey(refund.returnId),
    amountOf: () => refund.amount,
    refused: (amount, reason, code) =>
      new PaymentRefundFailed(`Refunding ${amount} for return ${refund.returnId} was refused: ${reason}`, {
        orderId,
        returnId: refund.returnId,
        code,
      }),
  });
}
