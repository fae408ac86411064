import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { giveUpStream } from '../../shared/application/webhooks';
import { taskHandler } from '../lib/task-handler';

/** Workflow task `{ subscriptionId, stream }` after 24 h of failures: the subscription is disabled, ops alerted. */
export const createHandler = (deps: Parameters<typeof giveUpStream>[0]) =>
  taskHandler((input: { subscriptionId: string; stream: string }) => giveUpStream(deps, input));

export const handler = createHandler({
  webhooks: awsAdapters.webhooks(),
  alerts: awsAdapters.alerts(),
  clock: systemClock,
});
