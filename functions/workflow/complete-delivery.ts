import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { completeDelivery } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/** Task `{ orderId }` after every shipment's trip ended: DELIVERED when all arrived. */
export const createHandler = (deps: Parameters<typeof completeDelivery>[0]) =>
  taskHandler((input: { orderId: string }) => completeDelivery(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  events: awsAdapters.events(),
  clock: systemClock,
});
