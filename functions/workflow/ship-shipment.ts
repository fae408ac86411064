import type { CarrierWebhookDeps } from '../../shared/application/carrier-tracking';
import { shipShipment } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** Task `{ shipmentId }`: rate shop, label, stock out of the location; SHIPPED. */
export const createHandler = (deps: CarrierWebhookDeps) =>
  taskHandler((input: { shipmentId: string }) => shipShipment(deps, input));

export const handler = createHandler(fulfilmentDeps());
