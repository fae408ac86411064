import { z } from 'zod';
import { EVENT_DETAIL_SCHEMAS } from './event-schemas';

/** Every detail-type the OMS publishes: what a subscription may ask for (or `*`, all of them). */
export const WEBHOOK_EVENT_TYPES = [
  ...new Set(Object.values(EVENT_DETAIL_SCHEMAS).flatMap((types) => Object.keys(types))),
].sort();

const SubscriptionId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a subscription id (ULID)');

/** Body of POST /webhook-subscriptions. */
export const CreateWebhookSubscriptionBody = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .describe('Where deliveries are POSTed: https to a public host on AWS; this machine only locally'),
    eventTypes: z
      .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES] as [string, ...string[]]))
      .min(1)
      .max(100)
      .describe('detail-types to receive, or ["*"] for every event'),
    description: z.string().max(200).optional(),
  })
  .meta({ id: 'CreateWebhookSubscription' });

export const WebhookSubscriptionParams = z.strictObject({ id: SubscriptionId });

export const WebhookDeliveryParams = z.strictObject({
  id: SubscriptionId,
  deliveryId: z.string().regex(/^[A-Za-z0-9_-]{4,1024}$/, 'a delivery id'),
});

export const ListWebhookDeliveriesQuery = z.strictObject({
  status: z.enum(['PENDING', 'DELIVERED', 'FAILED']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

const subscriptionFields = {
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().optional(),
  status: z.enum(['ENABLED', 'DISABLED']),
  disabledReason: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const WebhookSubscriptionView = z.object(subscriptionFields).meta({ id: 'WebhookSubscription' });

export const CreatedWebhookSubscriptionView = z
  .object({
    ...subscriptionFields,
    secret: z
      .string()
      .describe(
        'Shown once: verify each delivery with it (OMS-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">)',
      ),
  })
  .meta({ id: 'CreatedWebhookSubscription' });

export const WebhookSubscriptionList = z
  .object({ items: z.array(WebhookSubscriptionView) })
  .meta({ id: 'WebhookSubscriptionList' });

export const WebhookDeliveryView = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    stream: z.string().describe('order:<id>, stock:<sku>@<location> or type:<detail-type>: sent in order'),
    eventId: z.string(),
    eventType: z.string(),
    occurredAt: z.string(),
    sequence: z.int(),
    body: z.string().describe('The exact body sent and signed'),
    status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
    attempts: z.array(
      z.object({
        at: z.iso.datetime(),
        trigger: z.enum(['event', 'retry', 'manual']),
        ok: z.boolean(),
        statusCode: z.int().optional(),
        error: z.string().optional(),
        ms: z.number(),
      }),
    ),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryPage = z
  .object({ items: z.array(WebhookDeliveryView), nextCursor: z.string().optional() })
  .meta({ id: 'WebhookDeliveryPage' });
