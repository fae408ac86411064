import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { SubscriptionStore } from '../../shared/application/ports';
import { getSubscription } from '../../shared/application/subscriptions';
import {
  ListSubscriptionsQuery,
  SubscriptionParams,
  subscriptionView,
} from '../../shared/contracts/subscription-schemas';
import { listingChannel } from '../../shared/domain/access';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

/** A subscription, and the subscriptions newest first; a channel sees only its own. */
export const createHandler = (deps: { subscriptions: SubscriptionStore }) =>
  byRouteKey({
    'GET /subscriptions/{id}': httpRoute({ params: SubscriptionParams }, async ({ params, principal }) =>
      json(200, subscriptionView(await getSubscription(deps, params.id, principal))),
    ),
    'GET /subscriptions': httpRoute({ query: ListSubscriptionsQuery }, async ({ query, principal }) => {
      const { limit, cursor, channel, ...filter } = query;
      const own = listingChannel(principal, channel);
      const page = await deps.subscriptions.list(
        { ...filter, ...(own === undefined ? {} : { channel: own }) },
        { limit, ...(cursor === undefined ? {} : { cursor }) },
      );
      return json(200, { ...page, items: page.items.map(subscriptionView) });
    }),
  });

export const handler = createHandler({ subscriptions: awsAdapters.subscriptions() });
