import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getOrder } from '../../shared/application/get-order';
import type { OrderRepository, RoutingDecisionStore } from '../../shared/application/ports';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { NotFoundError } from '../../shared/domain/errors';
import { explainDecision } from '../../shared/domain/routing';
import { httpRoute, json } from '../lib/http-route';

/** The stored routing decision of an order, with the same in sentences for a person. */
export const createHandler = (deps: { orders: OrderRepository; decisions: RoutingDecisionStore }) =>
  httpRoute({ params: OrderIdParams }, async ({ params }) => {
    const order = await getOrder(deps, params.id);
    const decision = await deps.decisions.get(order.id);
    if (!decision)
      throw new NotFoundError(`Order ${order.id} has not been routed yet (status ${order.status})`);
    return json(200, { ...decision, explanation: explainDecision(decision) });
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  decisions: awsAdapters.routingDecisions(),
});
