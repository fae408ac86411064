import { createHash } from 'node:crypto';
import { type Principal, requireChannel } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import {
  SubscriptionEventType as Events,
  type SubscriptionEventType,
  subscriptionEvent,
} from '../domain/subscription-events';
import {
  cancel,
  completeRun,
  dueAction,
  type Interval,
  pause,
  remind,
  resume,
  runDraft,
  type Subscription,
  type SubscriptionAction,
  type SubscriptionOrder,
  SubscriptionStatus,
  skipNext,
} from '../domain/subscriptions';
import { type PlaceOrderDeps, placeOrder } from './place-order';
import { type Clock, type EventPublisher, StaleSubscription, type SubscriptionStore } from './ports';
import { requestHash, requireSameRequest } from './request-hash';

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  events: EventPublisher;
  clock: Clock;
}

export interface SubscriptionRequest {
  order: SubscriptionOrder;
  interval: Interval;
  /** When the first order is placed; now when left out. */
  startAt?: string;
  reminderDays: number;
}

/**
 * Creates a subscription for the caller's channel: its first order is placed at `startAt` (now
 * by default), then one each interval. The Idempotency-Key names it: the same request again
 * answers the same subscription.
 */
export async function createSubscription(
  deps: SubscriptionDeps,
  input: { request: SubscriptionRequest; principal: Principal; idempotencyKey: string },
): Promise<{ subscription: Subscription; replayed: boolean }> {
  const { request, principal, idempotencyKey } = input;
  requireChannel(principal, request.order.channel, '#/order/channel');
  const now = deps.clock.now();
  const id = createHash('sha256')
    .update(`${principal.subject}\n${idempotencyKey}`)
    .digest('hex')
    .slice(0, 24);
  const hash = requestHash(request);
  const subscription: Subscription = {
    id,
    status: SubscriptionStatus.ACTIVE,
    order: request.order,
    interval: request.interval,
    reminderDays: request.reminderDays,
    nextRunAt: request.startAt !== undefined && request.startAt > now ? request.startAt : now,
    runs: [],
    createdBy: principal.subject,
    requestHash: hash,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (await deps.subscriptions.create(subscription)) {
    await deps.events.publish([subscriptionEvent(subscription, Events.CREATED, now)]);
    return { subscription, replayed: false };
  }
  const first = await deps.subscriptions.get(id);
  if (!first) throw new Error(`Subscription ${id} was refused as existing, and does not exist`);
  requireSameRequest(first, hash, idempotencyKey);
  // The first attempt may have stopped before publishing: again, under the same event id.
  if (first.version === 1)
    await deps.events.publish([subscriptionEvent(first, Events.CREATED, first.createdAt)]);
  return { subscription: first, replayed: true };
}

export async function getSubscription(
  deps: Pick<SubscriptionDeps, 'subscriptions'>,
  id: string,
  principal: Principal,
): Promise<Subscription> {
  const subscription = await deps.subscriptions.get(id);
  if (!subscription) throw new NotFoundError(`Subscription ${id} does not exist`, { subscriptionId: id });
  requireChannel(principal, subscription.order.channel);
  return subscription;
}

const ACTIONS: Record<
  SubscriptionAction,
  [(s: Subscription, at: string) => Subscription, SubscriptionEventType]
> = {
  pause: [pause, Events.PAUSED],
  resume: [resume, Events.RESUMED],
  skip: [skipNext, Events.RUN_SKIPPED],
  cancel: [cancel, Events.CANCELLED],
};

/** Pauses, resumes, skips the next run of, or cancels a subscription; a racing sweep makes it look again. */
export async function changeSubscription(
  deps: SubscriptionDeps,
  input: { id: string; action: SubscriptionAction; principal: Principal },
): Promise<Subscription> {
  const [apply, type] = ACTIONS[input.action];
  for (let attempt = 1; ; attempt++) {
    const current = await getSubscription(deps, input.id, input.principal);
    const at = deps.clock.now();
    const next = apply(current, at);
    try {
      await deps.subscriptions.save(next, current);
    } catch (error) {
      if (error instanceof StaleSubscription && attempt < 5) continue;
      throw error;
    }
    const run = input.action === 'skip' ? { runAt: current.nextRunAt as string } : {};
    await deps.events.publish([subscriptionEvent(next, type, at, run)]);
    return next;
  }
}

export type SweepDeps = SubscriptionDeps & PlaceOrderDeps;

/** Subscriptions one sweep handles at most; the rest wait for the next (a minute later). */
const SWEEP_LIMIT = 100;

/**
 * The scheduled sweep: every subscription due is looked at once. A reminder due tells the
 * customer what the coming run will charge; a run due places its order, keyed by the
 * subscription and the run, so a sweep cut off and run again places it once. A subscription that
 * fails is left due (the next sweep tries again) and the sweep fails after the others, so the
 * failure reaches the function's retries and dead letters.
 */
export async function sweepSubscriptions(deps: SweepDeps): Promise<{ placed: number; reminded: number }> {
  const now = deps.clock.now();
  const failures: unknown[] = [];
  let placed = 0;
  let reminded = 0;
  for (const id of await deps.subscriptions.due(now, SWEEP_LIMIT)) {
    try {
      const outcome = await sweepOne(deps, id, now);
      if (outcome === 'place') placed++;
      if (outcome === 'remind') reminded++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `${failures.length} due subscription(s) failed; they stay due`);
  return { placed, reminded };
}

async function sweepOne(deps: SweepDeps, id: string, now: string) {
  const current = await deps.subscriptions.get(id);
  if (!current) return undefined;
  const action = dueAction(current, now);
  if (action === 'remind') {
    const next = remind(current, now);
    await deps.subscriptions.save(next, current);
    await deps.events.publish([
      subscriptionEvent(next, Events.RENEWAL_UPCOMING, now, { runAt: current.nextRunAt as string }),
    ]);
  } else if (action === 'place') {
    const runAt = current.nextRunAt as string;
    const { order } = await placeOrder(deps, {
      idempotencyKey: `${current.id}:${runAt}`,
      caller: `subscription:${current.id}`,
      draft: runDraft(current, runAt),
      correlationId: current.id,
    });
    const next = completeRun(current, { runAt, orderId: order.id }, now);
    await deps.subscriptions.save(next, current);
    await deps.events.publish([
      subscriptionEvent(next, Events.ORDER_PLACED, now, { runAt, orderId: order.id }),
    ]);
  }
  return action;
}
