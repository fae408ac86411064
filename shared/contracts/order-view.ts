import type { BulkJob } from '../domain/bulk-jobs';
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

/** A bulk job as the API shows it: who started it by name, not their rights; no request hash. */
export function bulkJobView(job: BulkJob) {
  const { requestHash: _hash, version: _version, cursor: _cursor, by, ...shown } = job;
  return { ...shown, by: by.subject };
}
