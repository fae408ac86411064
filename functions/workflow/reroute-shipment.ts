import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type RerouteDeps, rerouteRejectedShipment } from '../../shared/application/reroute-shipment';
import { taskHandler } from '../lib/task-handler';

/**
 * Task `{ shipmentId, expired? }` after a rejection: the lines go to another location, or wait on
 * backorder; once that wait expired, the order goes to ops.
 */
export const createHandler = (deps: RerouteDeps) =>
  taskHandler((input: { shipmentId: string; expired?: boolean }) => rerouteRejectedShipment(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  events: awsAdapters.events(),
  clock: systemClock,
  policies: awsAdapters.routingPolicies(),
});
