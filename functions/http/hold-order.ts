import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type HoldDeps, placeHold } from '../../shared/application/holds';
import { HoldOrderBody, OrderIdParams } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { httpRoute, json } from '../lib/http-route';

/** Ops hold an order; its workflow stops at the next step boundary. */
export const createHandler = (deps: HoldDeps) =>
  httpRoute({ params: OrderIdParams, body: HoldOrderBody }, async ({ params, body, principal }) =>
    json(200, toOrderView(await placeHold(deps, { orderId: params.id, ...body, principal }))),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  events: awsAdapters.events(),
  clock: systemClock,
});
