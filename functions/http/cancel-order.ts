import { type CancelOrderDeps, cancelOrder } from '../../shared/application/cancel-order';
import { CancelOrderBody, OrderIdParams } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { httpRoute, json } from '../lib/http-route';

/** A channel cancels its own orders (or some of their units), ops any; the same key and body again is a replay. */
export const createHandler = (deps: CancelOrderDeps) =>
  httpRoute({ params: OrderIdParams, body: CancelOrderBody, idempotent: true }, async (request) => {
    const { order, replayed } = await cancelOrder(deps, {
      orderId: request.params.id,
      request: request.body,
      principal: request.principal,
      idempotencyKey: request.idempotencyKey,
    });
    return json(200, toOrderView(order), replayed ? { 'idempotent-replayed': 'true' } : {});
  });

export const handler = createHandler(cancelOrderDeps());
