import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { type SweepDeps, sweepSubscriptions } from '../../shared/application/subscriptions';
import { taskHandler } from '../lib/task-handler';

/** Scheduled every minute: reminds of and places the subscription runs that are due. */
export const createHandler = (deps: SweepDeps) => taskHandler(async () => sweepSubscriptions(deps));

export const handler = createHandler({
  subscriptions: awsAdapters.subscriptions(),
  events: awsAdapters.events(),
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
