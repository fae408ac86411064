import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type ReleaseDeps, releaseHold } from '../../shared/application/holds';
import { OrderIdParams, ReleaseOrderBody } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { httpRoute, json } from '../lib/http-route';

/** Ops release a held order; its workflow resumes where it stopped. */
export const createHandler = (deps: ReleaseDeps) =>
  httpRoute({ params: OrderIdParams, body: ReleaseOrderBody }, async ({ params, body, principal }) =>
    json(200, toOrderView(await releaseHold(deps, { orderId: params.id, ...body, principal }))),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  events: awsAdapters.events(),
  releaseWaits: awsAdapters.releaseWaits(),
  callbacks: awsAdapters.callbacks(),
  backorders: awsAdapters.backorders(),
  clock: systemClock,
});
