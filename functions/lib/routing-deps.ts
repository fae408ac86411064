import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { RoutingDeps } from '../../shared/application/routing';

/** Real adapters for the routing use cases, built once per cold start. */
export function routingDeps(): RoutingDeps {
  return {
    orders: awsAdapters.orders(),
    ledger: awsAdapters.ledger(),
    locations: awsAdapters.locations(),
    policies: awsAdapters.routingPolicies(),
    decisions: awsAdapters.routingDecisions(),
    clock: systemClock,
  };
}
