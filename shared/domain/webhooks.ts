import { randomBytes } from 'node:crypto';
import type { EventMetadata } from './order-events';
import { signWebhook } from './webhook-signature';
import type { WebhookAttempt, WebhookDelivery, WebhookSubscription } from './webhook-types';

/** The retry schedule of a stream whose head delivery failed: 30 s, doubling, at most an hour apart, for 24 h. */
export const WEBHOOK_RETRY = {
  firstIntervalSeconds: 30,
  backoffRate: 2,
  maxIntervalSeconds: 3600,
  /** Retries after the first two attempts (the event's, then the workflow's at once): 30 s .. 32 min (7), then hourly (23): 24 h. */
  maxRetries: 30,
} as const;

/** The waits between the workflow's attempts, in seconds, as its Retry computes them from WEBHOOK_RETRY. */
export const retryScheduleSeconds = (): number[] =>
  Array.from({ length: WEBHOOK_RETRY.maxRetries }, (_, i) =>
    Math.min(
      WEBHOOK_RETRY.firstIntervalSeconds * WEBHOOK_RETRY.backoffRate ** i,
      WEBHOOK_RETRY.maxIntervalSeconds,
    ),
  );

/** How long one attempt may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 5000;

/** An event as the bus carried it. */
export interface WebhookSourceEvent {
  source: string;
  detailType: string;
  detail: { metadata: EventMetadata; data: unknown };
}

export const subscribesTo = (subscription: WebhookSubscription, eventType: string): boolean =>
  subscription.eventTypes.includes('*') || subscription.eventTypes.includes(eventType);

/**
 * The stream an event belongs to: its order's, so a subscriber gets an order's story in order;
 * a stock row's for stock events; one per event type otherwise.
 */
export function streamOf(event: WebhookSourceEvent): string {
  if (event.detail.metadata.orderId) return `order:${event.detail.metadata.orderId}`;
  const data = event.detail.data as { sku?: unknown; locationId?: unknown; subscriptionId?: unknown } | null;
  if (typeof data?.subscriptionId === 'string') return `subscription:${data.subscriptionId}`;
  if (typeof data?.sku === 'string' && typeof data.locationId === 'string')
    return `stock:${data.sku}@${data.locationId}`;
  return `type:${event.detailType}`;
}

/** What the subscriber receives: the event as published, with its id, type and per-order sequence on top. */
export function webhookBody(event: WebhookSourceEvent, subscriptionId: string): string {
  const { metadata, data } = event.detail;
  return JSON.stringify({
    id: metadata.eventId,
    type: event.detailType,
    source: event.source,
    occurredAt: metadata.occurredAt,
    ...(metadata.orderId ? { orderId: metadata.orderId } : {}),
    sequence: metadata.sequence,
    subscriptionId,
    data,
  });
}

/**
 * Deliveries of a stream in the order they go out: by when the event happened, then by its
 * sequence (an order's version), then by id, so the order is total and the same on every read.
 */
export const deliveryOrderKey = (d: Pick<WebhookDelivery, 'occurredAt' | 'sequence' | 'eventId'>) =>
  `${d.occurredAt}#${String(d.sequence).padStart(10, '0')}#${d.eventId}`;

export function newDelivery(
  event: WebhookSourceEvent,
  subscription: Pick<WebhookSubscription, 'id'>,
  at: string,
): Omit<WebhookDelivery, 'id'> {
  return {
    subscriptionId: subscription.id,
    stream: streamOf(event),
    eventId: event.detail.metadata.eventId,
    eventType: event.detailType,
    occurredAt: event.detail.metadata.occurredAt,
    sequence: event.detail.metadata.sequence,
    body: webhookBody(event, subscription.id),
    status: 'PENDING',
    attempts: [],
    createdAt: at,
  };
}

/** The headers of one attempt: the signature over `<t>.<body>` as carriers sign theirs to us. */
export function deliveryHeaders(
  delivery: Pick<WebhookDelivery, 'body' | 'eventId' | 'eventType' | 'attempts'>,
  secret: string,
  nowSeconds: number,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'serverless-oms-webhooks/1',
    'oms-signature': signWebhook(delivery.body, secret, nowSeconds),
    'oms-event-id': delivery.eventId,
    'oms-event-type': delivery.eventType,
    'oms-delivery-attempt': String(delivery.attempts.length + 1),
  };
}

/** The delivery after one more attempt: DELIVERED on a 2xx, else as it was. */
export function afterAttempt(delivery: WebhookDelivery, attempt: WebhookAttempt): WebhookDelivery {
  return {
    ...delivery,
    attempts: [...delivery.attempts, attempt],
    ...(attempt.ok ? { status: 'DELIVERED' as const, deliveredAt: attempt.at } : {}),
  };
}

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Where deliveries may go. On AWS: https to a public host name (never a literal address or a
 * local name, so a subscription cannot point the OMS at its own network). In the local cloud:
 * only this machine (127.0.0.1, ::1, localhost), so nothing leaves it.
 */
export function webhookUrlProblem(raw: string, mode: 'aws' | 'local'): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  if (mode === 'local') {
    if (!['http:', 'https:'].includes(url.protocol)) return 'must be http or https';
    return loopback ? undefined : 'the local cloud delivers only to this machine (127.0.0.1, ::1, localhost)';
  }
  if (url.protocol !== 'https:') return 'must be https';
  if (loopback || /^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.'))
    return 'must name a public host (no address, no local name)';
  if (/\.(local|internal|localhost)$/i.test(host)) return 'must name a public host';
  return undefined;
}
