import { InvalidStateError } from './errors';
import type {
  Address,
  Customer,
  OrderDraft,
  OrderLineDraft,
  PaymentMethod,
  PaymentTerms,
  ShippingMethod,
} from './order';

export const INTERVAL_UNITS = ['day', 'week', 'month'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** Every `every` days, weeks or months. */
export interface Interval {
  every: number;
  unit: IntervalUnit;
}

export const SUBSCRIPTION_ACTIONS = ['pause', 'resume', 'skip', 'cancel'] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

export const SubscriptionStatus = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', CANCELLED: 'CANCELLED' } as const;
export type SubscriptionStatus = (typeof SubscriptionStatus)[keyof typeof SubscriptionStatus];

/** What each period's order is: an order draft less what the OMS sets per run. */
export interface SubscriptionOrder {
  channel: string;
  customer: Customer;
  shippingAddress: Address;
  lines: OrderLineDraft[];
  currency: string;
  /** A card or wallet token here is a stored credential the provider charges each period. */
  payment: { method: PaymentMethod; token?: string; terms?: PaymentTerms };
  shippingMethod?: ShippingMethod;
}

export interface SubscriptionRun {
  /** The run's due time: with the subscription id, what makes its order once and only once. */
  runAt: string;
  orderId?: string;
  skipped?: boolean;
}

/**
 * A recurring order: one order placed each interval from `nextRunAt`, the customer told
 * `reminderDays` before each charge, paused, resumed or skipped one run at a time.
 */
export interface Subscription {
  id: string;
  status: SubscriptionStatus;
  order: SubscriptionOrder;
  interval: Interval;
  /** Days before a run that the customer is told it is coming (0: not told). */
  reminderDays: number;
  /** When the next order is placed (absent once cancelled). */
  nextRunAt?: string;
  /** The run the reminder went out for: each run is told about once. */
  remindedFor?: string;
  /** The last runs, newest first (placed or skipped). */
  runs: SubscriptionRun[];
  createdBy: string;
  /** Of the creating request: the same Idempotency-Key with another body is refused. */
  requestHash: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** How many runs a subscription keeps in its history. */
const KEPT_RUNS = 24;

/** `at` moved one interval on; a month keeps its day, or the month's last day when it has fewer. */
export function addInterval(at: string, interval: Interval): string {
  const date = new Date(at);
  if (interval.unit === 'month') {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + interval.every);
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, last));
  } else {
    date.setUTCDate(date.getUTCDate() + interval.every * (interval.unit === 'week' ? 7 : 1));
  }
  return date.toISOString();
}

export const reminderAt = (s: Subscription): string | undefined =>
  s.nextRunAt === undefined || s.reminderDays === 0
    ? undefined
    : new Date(Date.parse(s.nextRunAt) - s.reminderDays * 86_400_000).toISOString();

/** When the sweep must next look at it: its reminder if still to send, else its run; never when not active. */
export function dueAt(s: Subscription): string | undefined {
  if (s.status !== SubscriptionStatus.ACTIVE || s.nextRunAt === undefined) return undefined;
  const remind = reminderAt(s);
  return remind !== undefined && s.remindedFor !== s.nextRunAt && remind < s.nextRunAt ? remind : s.nextRunAt;
}

/** What the sweep does with it now: tell the customer, place the order, or nothing yet. */
export function dueAction(s: Subscription, now: string): 'remind' | 'place' | undefined {
  const due = dueAt(s);
  if (due === undefined || due > now) return undefined;
  return s.nextRunAt !== undefined && s.nextRunAt <= now ? 'place' : 'remind';
}

/** The order of one run: the subscription's order, keyed by the run so it is placed once. */
export function runDraft(s: Subscription, runAt: string): OrderDraft {
  return {
    ...s.order,
    externalOrderId: `SUB-${s.id}-${runAt.slice(0, 10).replaceAll('-', '')}`,
    subscriptionId: s.id,
  };
}

const changed = (s: Subscription, at: string, changes: Partial<Subscription>): Subscription => ({
  ...s,
  ...changes,
  version: s.version + 1,
  updatedAt: at,
});

/** The run placed (or skipped): recorded, and the next one an interval later. */
export function completeRun(s: Subscription, run: SubscriptionRun, at: string): Subscription {
  return changed(s, at, {
    runs: [run, ...s.runs].slice(0, KEPT_RUNS),
    nextRunAt: addInterval(run.runAt, s.interval),
  });
}

export function remind(s: Subscription, at: string): Subscription {
  return changed(s, at, { ...(s.nextRunAt === undefined ? {} : { remindedFor: s.nextRunAt }) });
}

function require(s: Subscription, allowed: SubscriptionStatus[], action: string): void {
  if (!allowed.includes(s.status))
    throw new InvalidStateError(`Subscription ${s.id} is ${s.status}: it cannot be ${action}`, {
      subscriptionId: s.id,
      status: s.status,
    });
}

export function pause(s: Subscription, at: string): Subscription {
  require(s, [SubscriptionStatus.ACTIVE], 'paused');
  return changed(s, at, { status: SubscriptionStatus.PAUSED });
}

/** Resumed, the next run is the first one due from now on: runs missed while paused are not made up. */
export function resume(s: Subscription, at: string): Subscription {
  require(s, [SubscriptionStatus.PAUSED], 'resumed');
  let next = s.nextRunAt ?? at;
  while (next < at) next = addInterval(next, s.interval);
  return changed(s, at, { status: SubscriptionStatus.ACTIVE, nextRunAt: next });
}

/** The next run will not be placed: the one after it is next. */
export function skipNext(s: Subscription, at: string): Subscription {
  require(s, [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED], 'skipped');
  const runAt = s.nextRunAt as string;
  return completeRun(s, { runAt, skipped: true }, at);
}

export function cancel(s: Subscription, at: string): Subscription {
  require(s, [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED], 'cancelled');
  const { nextRunAt: _next, ...rest } = s;
  return changed(rest, at, { status: SubscriptionStatus.CANCELLED });
}
