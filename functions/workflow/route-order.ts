import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type RouteOrderDeps, routeAllocatedOrder } from '../../shared/application/route-order';
import { routingDeps } from '../lib/routing-deps';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId }` -> `{ orderId, status }` (ROUTED or BACKORDERED). */
export const createHandler = (deps: RouteOrderDeps) =>
  taskHandler((input: { orderId: string }) => routeAllocatedOrder(deps, input.orderId));

export const handler = createHandler({ ...routingDeps(), events: awsAdapters.events() });
