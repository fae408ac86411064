import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { cancelOrder } from '../../shared/application/backorders';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId, reason }`: cancels, releases what the order holds, voids what its payment still holds. */
export const createHandler = (deps: Parameters<typeof cancelOrder>[0]) =>
  taskHandler((input: { orderId: string; reason: string }) => cancelOrder(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  backorders: awsAdapters.backorders(),
  events: awsAdapters.events(),
  payments: awsAdapters.payments(),
  clock: systemClock,
});
