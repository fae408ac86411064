import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type RerouteDeps, rerouteRejectedShipment } from '../../shared/application/reroute-shipment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/**
 * Task `{ shipmentId, expired? }` after a rejection: the lines go to another location, or wait on
 * backorder; once that wait expired, the order goes to ops.
 */
export const createHandler = (deps: RerouteDeps) =>
  taskHandler((input: { shipmentId: string; expired?: boolean }) => rerouteRejectedShipment(deps, input));

export const handler = createHandler({ ...fulfilmentDeps(), policies: awsAdapters.routingPolicies() });
