import { setTimeout as delay } from 'node:timers/promises';
import { awsAdapters, webhookUrlMode } from '../../shared/adapters/aws/dependencies';
import { newUlid, systemClock } from '../../shared/adapters/system';
import type { WebhookRetries, WebhookStore } from '../../shared/application/ports';
import {
  createSubscription,
  enableSubscription,
  redeliver,
  SUBSCRIPTION_VISIBLE_AFTER_MS,
  subscriptionView,
  type WebhookDeps,
} from '../../shared/application/webhooks';
import {
  CreateWebhookSubscriptionBody,
  WebhookDeliveryParams,
  WebhookSubscriptionParams,
} from '../../shared/contracts/webhook-schemas';
import { NotFoundError } from '../../shared/domain/errors';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

type Deps = WebhookDeps & {
  retries: WebhookRetries;
  urlMode: 'aws' | 'local';
  newId: () => string;
  /** Until every sender's list of subscriptions holds a new one. */
  untilSendersSeeIt: () => Promise<void>;
};

/**
 * The webhook subscription API's writes, one function for its four operations (its reads are
 * another, read-only): they share one store and one set of grants, and a function per operation
 * would spend the stack's CloudFormation budget (500 resources) on nothing else. Each operation
 * still runs the one middy chain with its own schemas.
 */
export const createHandler = (deps: Deps) => {
  const byId = { params: WebhookSubscriptionParams };
  return byRouteKey({
    'POST /webhook-subscriptions': httpRoute({ body: CreateWebhookSubscriptionBody }, async ({ body }) => {
      const subscription = await createSubscription(deps, body);
      // The answer promises every event from now on: only once no sender's list can lack it.
      await deps.untilSendersSeeIt();
      return json(201, subscription, { location: `/webhook-subscriptions/${subscription.id}` });
    }),
    'DELETE /webhook-subscriptions/{id}': httpRoute(byId, async ({ params }) => {
      if (!(await deps.webhooks.deleteSubscription(params.id)))
        throw new NotFoundError(`Webhook subscription ${params.id} does not exist`);
      return { statusCode: 204 };
    }),
    'POST /webhook-subscriptions/{id}/enable': httpRoute(byId, async ({ params }) =>
      json(200, subscriptionView(await enableSubscription(deps, params.id))),
    ),
    'POST /webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver': httpRoute(
      { params: WebhookDeliveryParams },
      async ({ params }) =>
        json(200, await redeliver(deps, { subscriptionId: params.id, deliveryId: params.deliveryId })),
    ),
  });
};

export const handler = createHandler({
  webhooks: awsAdapters.webhooks() satisfies WebhookStore,
  sender: awsAdapters.webhookSender(),
  retries: awsAdapters.webhookRetries(),
  clock: systemClock,
  urlMode: webhookUrlMode(),
  newId: newUlid,
  untilSendersSeeIt: () => delay(SUBSCRIPTION_VISIBLE_AFTER_MS),
});
