import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { OrderRepository } from '../../shared/application/ports';
import { OrderCountsQuery } from '../../shared/contracts/order-schemas';
import { httpRoute, json } from '../lib/http-route';

/** GET /orders/counts: the console's counts per status above the order list. */
export const createHandler = (deps: { orders: OrderRepository }) =>
  httpRoute({ query: OrderCountsQuery }, async ({ query }) =>
    json(200, { counts: await deps.orders.countByStatus(query) }),
  );

export const handler = createHandler({ orders: awsAdapters.orders() });
