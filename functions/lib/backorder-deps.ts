import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { BackorderDeps } from '../../shared/application/backorders';

/** Real adapters for the backorder use cases, built once per cold start. */
export function backorderDeps(): BackorderDeps {
  return {
    orders: awsAdapters.orders(),
    ledger: awsAdapters.ledger(),
    backorders: awsAdapters.backorders(),
    callbacks: awsAdapters.callbacks(),
    clock: systemClock,
    locations: awsAdapters.locations(),
    policies: awsAdapters.routingPolicies(),
    shipments: awsAdapters.shipments(),
  };
}
