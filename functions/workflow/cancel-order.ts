import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type CancelOrderDeps, cancelExpiredBackorder } from '../../shared/application/cancel-order';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId, reason }`: cancels, releases what the order holds, voids what its payment still holds. */
export const createHandler = (deps: CancelOrderDeps) =>
  taskHandler((input: { orderId: string; reason: string }) => cancelExpiredBackorder(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  releaseWaits: awsAdapters.releaseWaits(),
  ledger: awsAdapters.ledger(),
  backorders: awsAdapters.backorders(),
  callbacks: awsAdapters.callbacks(),
  events: awsAdapters.events(),
  payments: awsAdapters.payments(),
  clock: systemClock,
});
