import { type Order, orderMoney } from '../domain/order';

/** The order as the API shows it: everything but the payment token, with its money summed up. */
export function toOrderView(order: Order) {
  const { token: _token, ...payment } = order.payment;
  return {
    ...order,
    payment: { ...payment, money: orderMoney(order) },
    ...(order.cancellations
      ? { cancellations: order.cancellations.map(({ requestHash: _hash, ...shown }) => shown) }
      : {}),
  };
}
