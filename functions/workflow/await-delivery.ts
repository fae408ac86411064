import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { awaitDelivery } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: the carrier's delivered (or returned) update ends the wait. */
export const createHandler = (deps: FulfilmentDeps) =>
  taskHandler((input: { shipmentId: string; taskToken: string }) => awaitDelivery(deps, input));

export const handler = createHandler(fulfilmentDeps());
