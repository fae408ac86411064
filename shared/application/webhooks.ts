import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { groupBy } from '../domain/group-by';
import type { WebhookDelivery, WebhookSubscription, WebhookTrigger } from '../domain/webhook-types';
import {
  afterAttempt,
  deliveryHeaders,
  newDelivery,
  newWebhookSecret,
  streamOf,
  subscribesTo,
  type WebhookSourceEvent,
  webhookUrlProblem,
} from '../domain/webhooks';
import type { AlertLog, Clock, WebhookRetries, WebhookSender, WebhookStore } from './ports';

/** Longer than a sender can run (the function's timeout), so a live sender never loses its stream. */
const LEASE_SECONDS = 90;

const addSeconds = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

export interface WebhookDeps {
  webhooks: WebhookStore;
  sender: WebhookSender;
  clock: Clock;
}

/**
 * How old a sender's list of subscriptions may be. A sender runs for every event the OMS publishes
 * (16 for a delivered order), and reading the list each time was a query per event for a list
 * that changes a few times a month. Creating a subscription answers only once this long has
 * passed (`SUBSCRIPTION_VISIBLE_AFTER_MS`), so every event published after the answer reaches it.
 */
export const SUBSCRIPTION_LIST_MAX_AGE_MS = 2_000;
/** The list's age plus the by-entity index's propagation (eventually consistent, well under 1 s on AWS). */
export const SUBSCRIPTION_VISIBLE_AFTER_MS = SUBSCRIPTION_LIST_MAX_AGE_MS + 1_000;

/**
 * The store with its subscription list kept for `maxAgeMs` in this container; callers at once
 * share one read. Hand-written: one value and one age, a memoizing library would bring more.
 */
export function withCachedSubscriptionList(
  store: WebhookStore,
  maxAgeMs: number,
  nowMs: () => number = Date.now,
): WebhookStore {
  let cached: { at: number; list: Promise<WebhookSubscription[]> } | undefined;
  const listSubscriptions = (): Promise<WebhookSubscription[]> => {
    const now = nowMs();
    if (cached && now - cached.at < maxAgeMs) return cached.list;
    const list = store.listSubscriptions();
    cached = { at: now, list };
    list.catch(() => {
      if (cached?.list === list) cached = undefined;
    });
    return list;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'listSubscriptions') return listSubscriptions;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A subscription as the API shows it: the secret only in the answer that made it. */
export type SubscriptionView = Omit<WebhookSubscription, 'secret'>;
export const subscriptionView = ({ secret: _secret, ...view }: WebhookSubscription): SubscriptionView => view;

export async function createSubscription(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock'> & { urlMode: 'aws' | 'local'; newId: () => string },
  input: { url: string; eventTypes: string[]; description?: string },
): Promise<WebhookSubscription> {
  const problem = webhookUrlProblem(input.url, deps.urlMode);
  if (problem)
    throw new ValidationError(`The webhook URL ${problem}`, [{ pointer: '#/url', detail: problem }]);
  const at = deps.clock.now();
  const subscription: WebhookSubscription = {
    id: deps.newId(),
    url: input.url,
    eventTypes: [...new Set(input.eventTypes)],
    ...(input.description ? { description: input.description } : {}),
    status: 'ENABLED',
    secret: newWebhookSecret(),
    createdAt: at,
    updatedAt: at,
  };
  await deps.webhooks.createSubscription(subscription);
  return subscription;
}

export async function getSubscription(deps: Pick<WebhookDeps, 'webhooks'>, id: string) {
  const subscription = await deps.webhooks.getSubscription(id);
  if (!subscription) throw new NotFoundError(`Webhook subscription ${id} does not exist`);
  return subscription;
}

/**
 * The stream's lease. A retry or a redelivery asks a few times over a second: the event's sender
 * that failed starts the retries first and lets go of the stream just after, so the workflow's
 * first run can find it still held for a moment.
 */
async function takeStream(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock'>,
  subscriptionId: string,
  stream: string,
  trigger: WebhookTrigger,
): Promise<boolean> {
  const tries = trigger === 'event' ? 1 : 5;
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const taken = await deps.webhooks.takeStream(subscriptionId, stream, {
      now,
      leaseUntil: addSeconds(now, LEASE_SECONDS),
      asRetry: trigger !== 'event',
    });
    if (taken || attempt >= tries) return taken;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type DrainOutcome =
  | { outcome: 'drained' | 'busy' | 'disabled' }
  | { outcome: 'failed'; delivery: WebhookDelivery };

/** One attempt at one delivery, kept on the delivery whatever the answer. */
async function attempt(
  deps: WebhookDeps,
  subscription: WebhookSubscription,
  delivery: WebhookDelivery,
  trigger: WebhookTrigger,
): Promise<WebhookDelivery> {
  const at = deps.clock.now();
  const headers = deliveryHeaders(delivery, subscription.secret, Math.floor(Date.parse(at) / 1000));
  const answer = await deps.sender.post(subscription.url, delivery.body, headers);
  const sent = afterAttempt(delivery, {
    at,
    trigger,
    ok: answer.ok,
    ms: answer.ms,
    ...(answer.statusCode === undefined ? {} : { statusCode: answer.statusCode }),
    ...(answer.error ? { error: answer.error } : {}),
  });
  await deps.webhooks.saveDelivery(sent);
  return sent;
}

/**
 * Sends a stream's undelivered deliveries one at a time, in order, while it holds the stream's
 * lease: a subscriber sees an order's events in sequence, each once. The first failure stops the
 * stream (what follows waits behind it) and hands it to its retries (`retryFrom`, called before
 * the lease is given back so no sender slips in between). A delivery filed while the stream was
 * held found it taken, so the holder looks again after letting go.
 */
export async function drainStream(
  deps: WebhookDeps,
  subscriptionId: string,
  stream: string,
  trigger: WebhookTrigger,
  retryFrom?: (failed: WebhookDelivery) => Promise<void>,
): Promise<DrainOutcome> {
  for (;;) {
    if (!(await takeStream(deps, subscriptionId, stream, trigger))) return { outcome: 'busy' };
    const subscription = await deps.webhooks.getSubscription(subscriptionId);
    if (subscription?.status !== 'ENABLED') {
      // Kept PENDING: enabling the subscription again sends them, in order.
      await deps.webhooks.releaseStream(subscriptionId, stream, false);
      return { outcome: 'disabled' };
    }
    for (const delivery of await deps.webhooks.undelivered(subscriptionId, stream)) {
      const sent = await attempt(deps, subscription, delivery, trigger);
      if (sent.status !== 'DELIVERED') {
        await retryFrom?.(sent);
        await deps.webhooks.releaseStream(subscriptionId, stream, true);
        return { outcome: 'failed', delivery: sent };
      }
    }
    await deps.webhooks.releaseStream(subscriptionId, stream, false);
    if ((await deps.webhooks.undelivered(subscriptionId, stream)).length === 0) return { outcome: 'drained' };
  }
}

const retryKey = (delivery: WebhookDelivery) => `${delivery.id}#${delivery.attempts.length}`;

/**
 * Rule target for every OMS event: files one delivery per subscription that wants it (once per
 * event, however often the bus delivers it) and sends its stream at once, unless a sender or the
 * stream's retries hold it. Disabled subscriptions file too: enabling them again sends what waited.
 */
export async function deliverEvent(
  deps: WebhookDeps & { retries: WebhookRetries },
  event: WebhookSourceEvent,
): Promise<{ subscriptions: number }> {
  const wanted = (await deps.webhooks.listSubscriptions()).filter((s) => subscribesTo(s, event.detailType));
  const at = deps.clock.now();
  const stream = streamOf(event);
  await Promise.all(
    wanted.map(async (subscription) => {
      await deps.webhooks.enqueue(newDelivery(event, subscription, at));
      // The stream's own read says whether it is enabled: the list may be a moment old.
      await drainStream(deps, subscription.id, stream, 'event', (failed) =>
        deps.retries.start(subscription.id, stream, retryKey(failed)),
      );
    }),
  );
  return { subscriptions: wanted.length };
}

/**
 * A batch of events (the senders read their queue in batches): each stream's events in its order,
 * one after another, so a subscriber still sees an order's events in sequence; streams side by
 * side, so one slow subscriber's stream does not hold the others up. Answers, per event (by the
 * caller's key), whether it failed to be filed or sent.
 */
export async function deliverEvents<K>(
  deps: WebhookDeps & { retries: WebhookRetries },
  events: ReadonlyArray<{ key: K; event: WebhookSourceEvent }>,
): Promise<{ failed: K[] }> {
  const streams = groupBy(events, (item) => streamOf(item.event));
  const failed: K[] = [];
  await Promise.all(
    [...streams.values()].map(async (stream) => {
      const inOrder = [...stream].sort(
        (a, b) => a.event.detail.metadata.sequence - b.event.detail.metadata.sequence,
      );
      for (const { key, event } of inOrder) {
        try {
          await deliverEvent(deps, event);
        } catch {
          failed.push(key);
        }
      }
    }),
  );
  return { failed };
}

export class WebhookDeliveryFailed extends Error {
  override readonly name = 'WebhookDeliveryFailed';
}

/** Workflow task, retried with backoff for 24 h: sends the stream; throws while its subscriber fails. */
export async function retryStream(
  deps: WebhookDeps,
  input: { subscriptionId: string; stream: string },
): Promise<{ outcome: string }> {
  const result = await drainStream(deps, input.subscriptionId, input.stream, 'retry');
  if (result.outcome === 'failed') {
    const last = result.delivery.attempts.at(-1);
    throw new WebhookDeliveryFailed(
      `Delivery of ${result.delivery.eventType} ${result.delivery.eventId} failed: ${
        last?.statusCode === undefined ? (last?.error ?? 'no answer') : `HTTP ${last.statusCode}`
      }`,
    );
  }
  // Another sender holds the stream (a redelivery, an event): try again later, as after a failure.
  if (result.outcome === 'busy') throw new WebhookDeliveryFailed('Another sender holds the stream');
  return result;
}

/**
 * Workflow task once the retries ran out (24 h): the head delivery is FAILED, the subscription
 * DISABLED with the reason, and ops get an alert. What waited behind it stays PENDING.
 */
export async function giveUpStream(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock'> & { alerts: AlertLog },
  input: { subscriptionId: string; stream: string },
): Promise<{ disabled: boolean }> {
  const [head] = await deps.webhooks.undelivered(input.subscriptionId, input.stream);
  const at = deps.clock.now();
  if (head?.status === 'PENDING') await deps.webhooks.saveDelivery({ ...head, status: 'FAILED' });
  const reason = head
    ? `delivery of ${head.eventType} ${head.eventId} failed for 24 h (${head.attempts.length} attempts)`
    : 'its deliveries kept failing for 24 h';
  const subscription = await deps.webhooks.setStatus(input.subscriptionId, {
    status: 'DISABLED',
    reason,
    at,
  });
  await deps.webhooks.releaseStream(input.subscriptionId, input.stream, false);
  if (subscription)
    await deps.alerts.record({
      id: `webhook-disabled:${input.subscriptionId}:${head?.id ?? at}`,
      type: 'WebhookSubscriptionDisabled',
      raisedAt: at,
      subject: { subscriptionId: subscription.id, url: subscription.url, stream: input.stream },
      message: `Webhook subscription ${subscription.id} (${subscription.url}) was disabled: ${reason}`,
    });
  return { disabled: subscription !== undefined };
}

/** ENABLED again: every stream with something undelivered is sent, in order, by its retries. */
export async function enableSubscription(
  deps: Pick<WebhookDeps, 'webhooks' | 'clock'> & { retries: WebhookRetries },
  id: string,
): Promise<WebhookSubscription> {
  const subscription = await deps.webhooks.setStatus(id, { status: 'ENABLED', at: deps.clock.now() });
  if (!subscription) throw new NotFoundError(`Webhook subscription ${id} does not exist`);
  const streams = await deps.webhooks.streamsWithUndelivered(id);
  await Promise.all(
    streams.map((stream) => deps.retries.start(id, stream, `enabled#${subscription.updatedAt}`)),
  );
  return subscription;
}

/**
 * Ops send one delivery again now, whatever its status (a subscriber lost it, or it failed for
 * good). When that unblocks its stream, what waited behind it follows, in order.
 */
export async function redeliver(
  deps: WebhookDeps & { retries: WebhookRetries },
  input: { subscriptionId: string; deliveryId: string },
): Promise<WebhookDelivery> {
  const subscription = await getSubscription(deps, input.subscriptionId);
  const delivery = await deps.webhooks.getDelivery(input.subscriptionId, input.deliveryId);
  if (!delivery)
    throw new NotFoundError(`Subscription ${input.subscriptionId} has no delivery ${input.deliveryId}`);
  if (subscription.status !== 'ENABLED')
    throw new ConflictError(`Webhook subscription ${subscription.id} is disabled: enable it first`, {
      subscriptionId: subscription.id,
      status: subscription.status,
    });
  const sent = await attempt(deps, subscription, delivery, 'manual');
  if (
    sent.status === 'DELIVERED' &&
    (await deps.webhooks.undelivered(subscription.id, sent.stream)).length > 0
  )
    await deps.retries.start(subscription.id, sent.stream, `redelivered#${retryKey(sent)}`);
  return sent;
}
