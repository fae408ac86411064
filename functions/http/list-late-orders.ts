import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { lateOrders } from '../../shared/application/late-orders';
import type { Clock, OrderRepository } from '../../shared/application/ports';
import { LateOrdersQuery } from '../../shared/contracts/ops-schemas';
import type { Stage } from '../../shared/domain/late-orders';
import { httpRoute, json } from '../lib/http-route';

/** GET /orders/late: the console's "Stuck and late" list. */
export const createHandler = (deps: { orders: OrderRepository; clock: Clock }) =>
  httpRoute({ query: LateOrdersQuery }, async ({ query }) =>
    json(
      200,
      await lateOrders(deps, {
        ...(query.stage ? { stage: query.stage as Stage } : {}),
        ...(query.olderThanHours === undefined ? {} : { olderThanHours: query.olderThanHours }),
      }),
    ),
  );

export const handler = createHandler({ orders: awsAdapters.orders(), clock: systemClock });
