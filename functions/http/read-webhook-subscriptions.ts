import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { WebhookStore } from '../../shared/application/ports';
import { getSubscription, subscriptionView } from '../../shared/application/webhooks';
import {
  ListWebhookDeliveriesQuery,
  WebhookSubscriptionParams,
} from '../../shared/contracts/webhook-schemas';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

/**
 * The webhook subscription API's reads (subscriptions without their secret, the delivery log),
 * one read-only function for its three operations, for the same reason as its writes' one.
 */
export const createHandler = (deps: { webhooks: WebhookStore }) => {
  const byId = { params: WebhookSubscriptionParams };
  return byRouteKey({
    'GET /webhook-subscriptions': httpRoute({}, async () =>
      json(200, { items: (await deps.webhooks.listSubscriptions()).map(subscriptionView) }),
    ),
    'GET /webhook-subscriptions/{id}': httpRoute(byId, async ({ params }) =>
      json(200, subscriptionView(await getSubscription(deps, params.id))),
    ),
    'GET /webhook-subscriptions/{id}/deliveries': httpRoute(
      { ...byId, query: ListWebhookDeliveriesQuery },
      async ({ params, query }) => {
        // The page first: a cursor the API did not issue is refused (400) before anything else.
        const page = await deps.webhooks.listDeliveries(params.id, {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.status ? { status: query.status } : {}),
        });
        await getSubscription(deps, params.id);
        return json(200, page);
      },
    ),
  });
};

export const handler = createHandler({ webhooks: awsAdapters.webhooks() });
