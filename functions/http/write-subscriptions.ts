import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import {
  changeSubscription,
  createSubscription,
  type SubscriptionDeps,
} from '../../shared/application/subscriptions';
import {
  SubscriptionActionParams,
  SubscriptionBody,
  subscriptionView,
} from '../../shared/contracts/subscription-schemas';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

/** Creating a subscription, and pausing, resuming, skipping or cancelling one. */
export const createHandler = (deps: SubscriptionDeps) =>
  byRouteKey({
    'POST /subscriptions': httpRoute({ body: SubscriptionBody, idempotent: true }, async (request) => {
      const { startAt, ...rest } = request.body;
      const { subscription, replayed } = await createSubscription(deps, {
        request: { ...rest, ...(startAt === undefined ? {} : { startAt: new Date(startAt).toISOString() }) },
        principal: request.principal,
        idempotencyKey: request.idempotencyKey,
      });
      return json(replayed ? 200 : 201, subscriptionView(subscription), {
        location: `/subscriptions/${subscription.id}`,
      });
    }),
    'POST /subscriptions/{id}/{action}': httpRoute(
      { params: SubscriptionActionParams },
      async ({ params, principal }) =>
        json(200, subscriptionView(await changeSubscription(deps, { ...params, principal }))),
    ),
  });

export const handler = createHandler({
  subscriptions: awsAdapters.subscriptions(),
  events: awsAdapters.events(),
  clock: systemClock,
});
