import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { CarrierWebhookDeps } from '../../shared/application/carrier-tracking';

/** Real adapters for the fulfilment use cases, built once per cold start. */
export function fulfilmentDeps(): Omit<CarrierWebhookDeps, 'secrets'> {
  return {
    orders: awsAdapters.orders(),
    shipments: awsAdapters.shipments(),
    ledger: awsAdapters.ledger(),
    locations: awsAdapters.locations(),
    carriers: awsAdapters.carriers(),
    callbacks: awsAdapters.callbacks(),
    events: awsAdapters.events(),
    replays: awsAdapters.webhookReplays(),
    clock: systemClock,
  };
}
