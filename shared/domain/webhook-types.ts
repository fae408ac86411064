/**
 * Outbound webhooks: integrators (an ERP, a storefront, a marketplace connector) subscribe a URL
 * to event types; every matching event is delivered to it signed, in order per order, retried
 * with exponential backoff for 24 hours, then the subscription is disabled for ops to look at.
 */
export type WebhookSubscriptionStatus = 'ENABLED' | 'DISABLED';

export interface WebhookSubscription {
  id: string;
  url: string;
  /** detail-types of the OMS's events, or `*` for all of them. */
  eventTypes: string[];
  description?: string;
  status: WebhookSubscriptionStatus;
  /** Why it was disabled (by the OMS after a delivery failed for 24 h, or by ops). */
  disabledReason?: string;
  /** The HMAC-SHA256 key deliveries are signed with; shown once, when the subscription is made. */
  secret: string;
  createdAt: string;
  updatedAt: string;
}

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';
export type WebhookTrigger = 'event' | 'retry' | 'manual';

export interface WebhookAttempt {
  at: string;
  trigger: WebhookTrigger;
  ok: boolean;
  /** The subscriber's HTTP status, when it answered. */
  statusCode?: number;
  error?: string;
  ms: number;
}

/** One event for one subscription: sent in its stream's order, each attempt kept. */
export interface WebhookDelivery {
  /** Opaque: names the delivery's stream and place in it. */
  id: string;
  subscriptionId: string;
  /** Deliveries of one stream (one order's events, or one stock row's) go out one at a time, in order. */
  stream: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  sequence: number;
  /** The exact body sent (and signed) on every attempt. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  createdAt: string;
  deliveredAt?: string;
}
