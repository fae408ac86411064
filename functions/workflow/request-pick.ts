import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { requestPick } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: asks the warehouse to pick the shipment; its packed/rejected report ends the wait. */
export const createHandler = (deps: FulfilmentDeps) =>
  taskHandler((input: { orderId: string; shipmentId: string; taskToken: string; slaHours: number }) =>
    requestPick(deps, input),
  );

export const handler = createHandler(fulfilmentDeps());
