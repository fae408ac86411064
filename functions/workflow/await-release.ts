import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { awaitRelease } from '../../shared/application/holds';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task before a step that found its order held: the release (or a cancellation) ends the wait. */
export const createHandler = (deps: Parameters<typeof awaitRelease>[0]) =>
  taskHandler((input: { orderId: string; step: string; shipmentId?: string; taskToken: string }) =>
    awaitRelease(deps, input),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  releaseWaits: awsAdapters.releaseWaits(),
  callbacks: awsAdapters.callbacks(),
});
