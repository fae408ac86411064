import { stopIfHeld } from '../domain/hold';
import { type Order, type Payment, PaymentStatus, termsDays, transitionOrder } from '../domain/order';
import { type DomainEvent, OrderEventType, orderEvent } from '../domain/order-events';
import { OrderStatus } from '../domain/order-status';
import { getOrder } from './get-order';
import type { Clock, EventPublisher, OrderRepository, PaymentGateway } from './ports';

const addDays = (at: string, days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();

export interface ConfirmOrderDeps {
  orders: OrderRepository;
  payments: PaymentGateway;
  events: EventPublisher;
  clock: Clock;
}

export interface ConfirmOrderResult {
  orderId: string;
  status: Order['status'];
  paymentStatus: Order['payment']['status'];
}

function outcomeEvent(order: Order): DomainEvent | undefined {
  if (order.status === OrderStatus.CONFIRMED) return orderEvent(order, OrderEventType.CONFIRMED);
  if (order.status === OrderStatus.FAILED) return orderEvent(order, OrderEventType.FAILED);
  return undefined;
}

/** The payment of an order paid before it reached the OMS: by a return's goods, or at its marketplace. */
function paidElsewhere(order: Order, method: 'exchange' | 'marketplace'): Payment {
  const reference =
    method === 'exchange'
      ? order.exchangeOf?.returnId
      : order.marketplace && `${order.marketplace.name}:${order.marketplace.orderId}`;
  return {
    ...order.payment,
    status: method === 'exchange' ? PaymentStatus.COVERED : PaymentStatus.COLLECTED,
    ...(reference ? { reference } : {}),
  };
}

/**
 * Authorizes payment and moves a PENDING order to CONFIRMED, or to FAILED when declined.
 * Idempotent: an order already past PENDING is not authorized again; its outcome event is
 * re-published (same event id) in case the earlier attempt stopped before publishing.
 */
export async function confirmOrder(deps: ConfirmOrderDeps, orderId: string): Promise<ConfirmOrderResult> {
  let order = await getOrder(deps, orderId);
  stopIfHeld(order);
  const { method } = order.payment;
  if (order.status !== OrderStatus.PENDING) {
    // Decided by an earlier attempt: only its event is published again.
  } else if (method === 'exchange' || method === 'marketplace') {
    order = transitionOrder(order, OrderStatus.CONFIRMED, deps.clock.now(), {
      payment: paidElsewhere(order, method),
    });
    await deps.orders.update(order);
  } else {
    const result = await deps.payments.authorize({
      orderId: order.id,
      amount: order.totals.grandTotal,
      currency: order.currency,
      method,
      ...(order.payment.token === undefined ? {} : { token: order.payment.token }),
      idempotencyKey: `authorize-${order.id}`,
    });
    const at = deps.clock.now();
    const base = order.payment;
    if (result.outcome === 'declined') {
      const payment: Payment = { ...base, status: PaymentStatus.DECLINED, declineCode: result.code };
      order = transitionOrder(order, OrderStatus.FAILED, at, {
        reason: `payment declined: ${result.reason}`,
        payment,
      });
    } else {
      const payment: Payment =
        result.outcome === 'authorized'
          ? {
              ...base,
              status: PaymentStatus.AUTHORIZED,
              authorizationId: result.authorizationId,
              authorizedAmount: order.totals.grandTotal,
            }
          : {
              ...base,
              status: PaymentStatus.DEFERRED,
              reference: result.reference,
              // An invoice falls due its terms' days after the order is confirmed.
              ...(base.terms ? { dueAt: addDays(at, termsDays(base.terms)) } : {}),
            };
      order = transitionOrder(order, OrderStatus.CONFIRMED, at, { payment });
    }
    await deps.orders.update(order);
  }
  const event = outcomeEvent(order);
  if (event) await deps.events.publish([event]);
  return { orderId: order.id, status: order.status, paymentStatus: order.payment.status };
}
