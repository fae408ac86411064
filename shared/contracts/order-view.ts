import type { Order } from '../domain/order';

/** The order as the API shows it: everything but the payment token. */
export function toOrderView(order: Order) {
  const { token: _token, ...payment } = order.payment;
  return { ...order, payment };
}
