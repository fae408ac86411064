import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { type PlaceOrderDeps, placeOrder } from '../../shared/application/place-order';
import { PlaceOrderBody } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { requireChannel } from '../../shared/domain/access';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: PlaceOrderDeps) =>
  httpRoute({ body: PlaceOrderBody, idempotent: true }, async (request) => {
    requireChannel(request.principal, request.body.channel, '#/channel');
    const { order, replayed } = await placeOrder(deps, {
      idempotencyKey: request.idempotencyKey,
      caller: request.principal.subject,
      draft: request.body,
      correlationId: request.correlationId,
    });
    return json(201, toOrderView(order), {
      location: `/orders/${order.id}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
