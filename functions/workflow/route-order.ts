import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type RouteOrderDeps, routeAllocatedOrder } from '../../shared/application/route-order';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task `{ orderId }` -> `{ orderId, status }` (ROUTED or BACKORDERED). */
export const createHandler = (deps: RouteOrderDeps) =>
  taskHandler((input: { orderId: string }) => routeAllocatedOrder(deps, input.orderId));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  policies: awsAdapters.routingPolicies(),
  decisions: awsAdapters.routingDecisions(),
  events: awsAdapters.events(),
  clock: systemClock,
});
