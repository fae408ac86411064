import { DomainError, ErrorCode } from '../domain/errors';
import { type Order, orderMoney, PaymentStatus, recordMovement } from '../domain/order';
import { captureKey, shipmentCharge } from '../domain/payment-money';
import { getOrder } from './get-order';
import { type Clock, type OrderRepository, type PaymentGateway, StaleOrderVersion } from './ports';

/** The provider refused to capture a shipment's value: the goods must not leave unpaid. */
export class PaymentCaptureFailed extends DomainError {
  readonly code = ErrorCode.UNPROCESSABLE;
}

const ORDER_WRITE_ATTEMPTS = 8;

/**
 * Captures what a shipment carries (its lines at the order's prices, never more than is still
 * authorized) under `capture-<shipmentId>`, and records it on the order. Run again (a retried
 * task, a redelivered step) it captures nothing more: the provider answers the same key with the
 * same capture, and the order keeps one movement per key. A deferred payment (invoice, boleto)
 * has nothing to capture. A refusal throws PaymentCaptureFailed before anything ships.
 */
export async function captureShipment(
  deps: { orders: OrderRepository; payments: PaymentGateway; clock: Clock },
  orderId: string,
  shipment: { id: string; lines: ReadonlyArray<{ sku: string; quantity: number }> },
): Promise<Order> {
  const key = captureKey(shipment.id);
  for (let attempt = 1; ; attempt++) {
    const order = await getOrder(deps, orderId);
    const { payment } = order;
    if (payment.status !== PaymentStatus.AUTHORIZED || !payment.authorizationId) return order;
    if (payment.movements?.some((m) => m.key === key)) return order;
    const prices = new Map(order.lines.map((line) => [line.sku, line.unitPrice]));
    const amount = shipmentCharge(prices, shipment.lines, orderMoney(order).outstanding);
    if (amount <= 0) return order;
    const result = await deps.payments.capture({
      authorizationId: payment.authorizationId,
      amount,
      currency: order.currency,
      idempotencyKey: key,
    });
    if (result.outcome === 'refused')
      throw new PaymentCaptureFailed(
        `Capturing ${amount} for shipment ${shipment.id} was refused: ${result.reason}`,
        {
          orderId,
          shipmentId: shipment.id,
          code: result.code,
        },
      );
    const updated = recordMovement(order, {
      kind: 'capture',
      key,
      amount: result.amount,
      reference: result.reference,
      at: deps.clock.now(),
    });
    try {
      await deps.orders.update(updated);
      return updated;
    } catch (error) {
      if (!(error instanceof StaleOrderVersion) || attempt >= ORDER_WRITE_ATTEMPTS) throw error;
    }
  }
}
