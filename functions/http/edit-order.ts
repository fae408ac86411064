import type { CancelOrderDeps } from '../../shared/application/cancel-order';
import { editOrder } from '../../shared/application/edit-order';
import { EditOrderBody, OrderIdParams } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { httpRoute, json } from '../lib/http-route';

/** Lines, address or service level changed before the pick, in one step. */
export const createHandler = (deps: CancelOrderDeps) =>
  httpRoute({ params: OrderIdParams, body: EditOrderBody, idempotent: true }, async (request) => {
    const { order, replayed } = await editOrder(deps, {
      orderId: request.params.id,
      request: request.body,
      principal: request.principal,
      idempotencyKey: request.idempotencyKey,
    });
    return json(200, toOrderView(order), replayed ? { 'idempotent-replayed': 'true' } : {});
  });

export const handler = createHandler(cancelOrderDeps());
