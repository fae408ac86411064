import { type RoutingDeps, simulateRouting } from '../../shared/application/routing';
import { SimulateRoutingBody } from '../../shared/contracts/routing-schemas';
import { httpRoute, json } from '../lib/http-route';
import { routingDeps } from '../lib/routing-deps';

/** Read-only: routes the given orders under the given policy and changes nothing. */
export const createHandler = (deps: RoutingDeps) =>
  httpRoute({ body: SimulateRoutingBody }, async ({ body }) => json(200, await simulateRouting(deps, body)));

export const handler = createHandler(routingDeps());
