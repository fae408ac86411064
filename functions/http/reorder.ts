import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { getOrder } from '../../shared/application/get-order';
import { type PlaceOrderDeps, placeOrder } from '../../shared/application/place-order';
import { OrderIdParams, ReorderBody } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { requireChannel } from '../../shared/domain/access';
import { reorderDraft } from '../../shared/domain/order';
import { httpRoute, json } from '../lib/http-route';

/** A new order with what an earlier one still holds (a business customer's repeat purchase). */
export const createHandler = (deps: PlaceOrderDeps) =>
  httpRoute({ params: OrderIdParams, body: ReorderBody, idempotent: true }, async (request) => {
    const earlier = await getOrder(deps, request.params.id, request.principal);
    const draft = reorderDraft(earlier, request.body);
    requireChannel(request.principal, draft.channel, '#/channel');
    const { order, replayed } = await placeOrder(deps, {
      idempotencyKey: request.idempotencyKey,
      caller: request.principal.subject,
      draft,
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
