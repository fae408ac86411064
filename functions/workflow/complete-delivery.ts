import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { completeDelivery } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** Task `{ orderId }` after every shipment's trip ended: DELIVERED when all arrived. */
export const createHandler = (deps: FulfilmentDeps) =>
  taskHandler((input: { orderId: string }) => completeDelivery(deps, input));

export const handler = createHandler(fulfilmentDeps());
