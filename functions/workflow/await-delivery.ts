import type { CarrierWebhookDeps } from '../../shared/application/carrier-tracking';
import { awaitDelivery } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: the carrier's delivered (or returned) update ends the wait. */
export const createHandler = (deps: CarrierWebhookDeps) =>
  taskHandler((input: { shipmentId: string; taskToken: string }) => awaitDelivery(deps, input));

export const handler = createHandler(fulfilmentDeps());
