import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { restartPendingOrders } from '../../shared/application/restart-pending';
import { taskHandler } from '../lib/task-handler';

/** Scheduled rule target: starts the workflow of orders left PENDING. */
export const createHandler = (deps: Parameters<typeof restartPendingOrders>[0]) =>
  taskHandler(() => restartPendingOrders(deps));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
});
