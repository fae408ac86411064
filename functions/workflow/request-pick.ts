import type { CarrierWebhookDeps } from '../../shared/application/carrier-tracking';
import { requestPick } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: asks the warehouse to pick the shipment; its packed/rejected report ends the wait. */
export const createHandler = (deps: CarrierWebhookDeps) =>
  taskHandler((input: { orderId: string; shipmentId: string; taskToken: string; slaHours: number }) =>
    requestPick(deps, input),
  );

export const handler = createHandler(fulfilmentDeps());
