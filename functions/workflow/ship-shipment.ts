import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { shipShipment } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/** Task `{ shipmentId }`: capture its value, rate shop, label, stock out of the location; SHIPPED. */
export const createHandler = (deps: Parameters<typeof shipShipment>[0]) =>
  taskHandler((input: { shipmentId: string }) => shipShipment(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  carriers: awsAdapters.carriers(),
  payments: awsAdapters.payments(),
  events: awsAdapters.events(),
  clock: systemClock,
});
