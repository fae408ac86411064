import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { recordWarehouseEvent } from '../../shared/application/fulfilment';
import { ShipmentIdParams, WarehouseEventBody } from '../../shared/contracts/shipment-schemas';
import { httpRoute, json } from '../lib/http-route';

/** A warehouse reports picked / packed / rejected; the same report twice is harmless. */
export const createHandler = (deps: Parameters<typeof recordWarehouseEvent>[0]) =>
  httpRoute({ params: ShipmentIdParams, body: WarehouseEventBody }, async ({ params, body, principal }) =>
    json(200, await recordWarehouseEvent(deps, params.id, body, principal)),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  events: awsAdapters.events(),
  callbacks: awsAdapters.callbacks(),
  clock: systemClock,
});
