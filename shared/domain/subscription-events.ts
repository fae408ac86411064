import { type DomainEvent, EventSource } from './order-events';
import type { Subscription } from './subscriptions';

export const SubscriptionEventType = {
  CREATED: 'SubscriptionCreated',
  PAUSED: 'SubscriptionPaused',
  RESUMED: 'SubscriptionResumed',
  RUN_SKIPPED: 'SubscriptionRunSkipped',
  CANCELLED: 'SubscriptionCancelled',
  /** The customer is told a run is coming (reminderDays before it), with what it will charge. */
  RENEWAL_UPCOMING: 'SubscriptionRenewalUpcoming',
  ORDER_PLACED: 'SubscriptionOrderPlaced',
} as const;
export type SubscriptionEventType = (typeof SubscriptionEventType)[keyof typeof SubscriptionEventType];
export const SUBSCRIPTION_EVENT_TYPES = Object.values(SubscriptionEventType);

export interface SubscriptionEventData {
  subscriptionId: string;
  status: Subscription['status'];
  channel: string;
  customerId?: string;
  customerEmail: string;
  customerName: string;
  interval: Subscription['interval'];
  /** The run this is about: the next one, or the one just placed or skipped. */
  runAt?: string;
  /** The next run after this event. */
  nextRunAt?: string;
  currency: string;
  /** What each run charges (the lines at their prices), in minor units. */
  total: number;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  /** The order a run placed. */
  orderId?: string;
}

/** An event of a subscription; its id is stable per (subscription, version, type), so a re-publish dedupes. */
export function subscriptionEvent(
  s: Subscription,
  type: SubscriptionEventType,
  at: string,
  run: { runAt?: string; orderId?: string } = {},
): DomainEvent<SubscriptionEventData> {
  const { order } = s;
  return {
    source: EventSource.SUBSCRIPTIONS,
    detailType: type,
    detail: {
      metadata: {
        eventId: `${s.id}-${s.version}-${type}`,
        sequence: s.version,
        occurredAt: at,
        correlationId: s.id,
      },
      data: {
        subscriptionId: s.id,
        status: s.status,
        channel: order.channel,
        ...(order.customer.id === undefined ? {} : { customerId: order.customer.id }),
        customerEmail: order.customer.email,
        customerName: order.customer.name,
        interval: s.interval,
        ...(run.runAt === undefined ? {} : { runAt: run.runAt }),
        ...(s.nextRunAt === undefined ? {} : { nextRunAt: s.nextRunAt }),
        currency: order.currency,
        total: order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
        lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
        ...(run.orderId === undefined ? {} : { orderId: run.orderId }),
      },
    },
  };
}
