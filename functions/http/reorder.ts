import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { getOrder } from '../../shared/application/get-order';
import type { PlaceOrderDeps } from '../../shared/application/place-order';
import { OrderIdParams, ReorderBody } from '../../shared/contracts/order-schemas';
import { reorderDraft } from '../../shared/domain/order';
import { httpRoute } from '../lib/http-route';
import { placeAndAnswer } from '../lib/place-and-answer';

/** A new order with what an earlier one still holds (a business customer's repeat purchase). */
export const createHandler = (deps: PlaceOrderDeps) =>
  httpRoute({ params: OrderIdParams, body: ReorderBody, idempotent: true }, async (request) => {
    const earlier = await getOrder(deps, request.params.id, request.principal);
    return placeAndAnswer(deps, request, reorderDraft(earlier, request.body));
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
