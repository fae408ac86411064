import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { retryStream, type WebhookDeps } from '../../shared/application/webhooks';
import { taskHandler } from '../lib/task-handler';

/** Workflow task `{ subscriptionId, stream }`: sends the stream in order; WebhookDeliveryFailed while its subscriber fails. */
export const createHandler = (deps: WebhookDeps) =>
  taskHandler((input: { subscriptionId: string; stream: string }) => retryStream(deps, input));

export const handler = createHandler({
  webhooks: awsAdapters.webhooks(),
  sender: awsAdapters.webhookSender(),
  clock: systemClock,
});
