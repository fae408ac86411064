import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type RoutingDeps, simulateRouting } from '../../shared/application/routing';
import { SimulateRoutingBody } from '../../shared/contracts/routing-schemas';
import { httpRoute, json } from '../lib/http-route';

/** Read-only: routes the given orders under the given policy and changes nothing. */
export const createHandler = (deps: RoutingDeps) =>
  httpRoute({ body: SimulateRoutingBody }, async ({ body }) => json(200, await simulateRouting(deps, body)));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  policies: awsAdapters.routingPolicies(),
  decisions: awsAdapters.routingDecisions(),
  clock: systemClock,
});
