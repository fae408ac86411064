import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getOrder } from '../../shared/application/get-order';
import type { OrderExecutions, OrderRepository } from '../../shared/application/ports';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { NotFoundError } from '../../shared/domain/errors';
import { executionGraph } from '../../shared/domain/execution-graph';
import { httpRoute, json } from '../lib/http-route';

/** The order's workflow execution as ops see it in the console: a graph coloured by its history. */
export const createHandler = (deps: { orders: OrderRepository; executions: OrderExecutions }) =>
  httpRoute({ params: OrderIdParams }, async ({ params }) => {
    const order = await getOrder(deps, params.id);
    const execution = await deps.executions.ofOrder(order.id);
    if (!execution) throw new NotFoundError(`The workflow of order ${order.id} has not started`);
    const { definition, events, ...summary } = execution;
    return json(200, {
      orderId: order.id,
      ...summary,
      graph: executionGraph(definition, events, execution.status),
      events,
    });
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  executions: awsAdapters.executions(),
});
