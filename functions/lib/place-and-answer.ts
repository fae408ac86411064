import { type PlaceOrderDeps, placeOrder } from '../../shared/application/place-order';
import { toOrderView } from '../../shared/contracts/order-view';
import { type Principal, requireChannel } from '../../shared/domain/access';
import type { OrderDraft } from '../../shared/domain/order';
import { json } from './http-route';

/** Places `draft` for the caller (its channel must be theirs) and answers 201 with the order, or the first one again. */
export async function placeAndAnswer(
  deps: PlaceOrderDeps,
  request: { principal: Principal; idempotencyKey: string; correlationId: string },
  draft: OrderDraft,
) {
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
}
