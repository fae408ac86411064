import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { awaitDelivery } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: the carrier's delivered (or returned) update ends the wait. */
export const createHandler = (deps: Parameters<typeof awaitDelivery>[0]) =>
  taskHandler((input: { shipmentId: string; taskToken: string }) => awaitDelivery(deps, input));

export const handler = createHandler({
  shipments: awsAdapters.shipments(),
  callbacks: awsAdapters.callbacks(),
});
