import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { shipShipment } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** Task `{ shipmentId }`: rate shop, label, stock out of the location; SHIPPED. */
export const createHandler = (deps: FulfilmentDeps) =>
  taskHandler((input: { shipmentId: string }) => shipShipment(deps, input));

export const handler = createHandler(fulfilmentDeps());
