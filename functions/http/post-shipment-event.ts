import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { recordWarehouseEvent } from '../../shared/application/fulfilment';
import { ShipmentIdParams, WarehouseEventBody } from '../../shared/contracts/shipment-schemas';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { httpRoute, json } from '../lib/http-route';

/** A warehouse reports picked / packed / rejected; the same report twice is harmless. */
export const createHandler = (deps: FulfilmentDeps) =>
  httpRoute({ params: ShipmentIdParams, body: WarehouseEventBody }, async ({ params, body, principal }) =>
    json(200, await recordWarehouseEvent(deps, params.id, body, principal)),
  );

export const handler = createHandler(fulfilmentDeps());
