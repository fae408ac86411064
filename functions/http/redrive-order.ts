import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getOrder } from '../../shared/application/get-order';
import type { OrderExecutions, OrderRepository } from '../../shared/application/ports';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { httpRoute, json } from '../lib/http-route';

/** POST /orders/{id}/redrive: the order's stopped workflow runs again from where it stopped. */
export const createHandler = (deps: { orders: OrderRepository; executions: OrderExecutions }) =>
  httpRoute({ params: OrderIdParams }, async ({ params }) => {
    const order = await getOrder(deps, params.id);
    await deps.executions.redrive(order.id);
    return json(202, { orderId: order.id, redriven: true });
  });

export const handler = createHandler({ orders: awsAdapters.orders(), executions: awsAdapters.executions() });
