import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { shipAndAwaitDelivery } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/**
 * `.waitForTaskToken` task `{ shipmentId, taskToken }`: capture its value, rate shop, label, stock
 * out of the location (SHIPPED); the carrier's delivered (or returned) update then ends the wait.
 */
export const createHandler = (deps: Parameters<typeof shipAndAwaitDelivery>[0]) =>
  taskHandler((input: { shipmentId: string; taskToken: string }) => shipAndAwaitDelivery(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  carriers: awsAdapters.carriers(),
  payments: awsAdapters.payments(),
  events: awsAdapters.events(),
  callbacks: awsAdapters.callbacks(),
  clock: systemClock,
});
