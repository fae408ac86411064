import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { listOrderActivity } from '../../shared/application/order-activity';
import type { OrderActivityLog, OrderRepository } from '../../shared/application/ports';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { orders: OrderRepository; activity: OrderActivityLog }) =>
  httpRoute({ params: OrderIdParams }, async ({ params, principal }) =>
    json(200, { items: await listOrderActivity(deps, params.id, principal) }),
  );

export const handler = createHandler({ orders: awsAdapters.orders(), activity: awsAdapters.activity() });
