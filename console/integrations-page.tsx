import { useCallback, useState } from 'preact/hooks';
import type { Page } from '../shared/application/ports';
import type { bulkJobView } from '../shared/contracts/order-view';
import type { WebhookDelivery, WebhookSubscription } from '../shared/domain/webhook-types';
import { api } from './api';
import { since, when } from './format';
import { useAction, usePolling } from './hooks';
import { Messages } from './messages';

type Delivery = Omit<WebhookDelivery, 'body'>;
type SubscriptionView = Omit<WebhookSubscription, 'secret'>;
type Job = ReturnType<typeof bulkJobView>;

interface Subscriber {
  subscription: SubscriptionView;
  /** Deliveries not delivered (pending behind a failure, or failed for good), the oldest first. */
  undelivered: Delivery[];
  /** True when there are more than the page read. */
  more: boolean;
}

const REFRESH_MS = 10_000;
const SHOWN = 10;

/** The last answer a delivery got: an HTTP status or why there was none. */
function lastAnswer(delivery: Delivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return 'not tried yet';
  return last.statusCode === undefined ? (last.error ?? 'no answer') : `HTTP ${last.statusCode}`;
}

async function subscriber(subscription: SubscriptionView): Promise<Subscriber> {
  const page = (status: string) =>
    api<Page<Delivery>>(
      'GET',
      `/webhook-subscriptions/${subscription.id}/deliveries?status=${status}&limit=${SHOWN}`,
    );
  const [failed, pending] = await Promise.all([page('FAILED'), page('PENDING')]);
  const undelivered = [...failed.items, ...pending.items].sort((a, b) =>
    a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.sequence - b.sequence,
  );
  return { subscription, undelivered, more: Boolean(failed.nextCursor ?? pending.nextCursor) };
}

/**
 * What runs beside the orders: webhook subscribers (what has not reached each, with its last
 * answer, to send again or to enable a disabled subscription) and bulk jobs with their progress.
 */
export function IntegrationsPage() {
  const [subscribers, setSubscribers] = useState<Subscriber[]>();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const [subscriptions, jobPage] = await Promise.all([
        api<{ items: SubscriptionView[] }>('GET', '/webhook-subscriptions'),
        api<{ items: Job[] }>('GET', '/bulk-jobs?limit=10'),
      ]);
      setSubscribers(await Promise.all(subscriptions.items.map(subscriber)));
      setJobs(jobPage.items);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  usePolling(load, REFRESH_MS);
  const { notice, act } = useAction(load);

  return (
    <section class="integrations">
      <h2>Integrations</h2>
      <Messages error={error} notice={notice} />
      <h3>Webhook subscriptions</h3>
      {subscribers?.length === 0 ? <p>No subscription.</p> : null}
      {(subscribers ?? []).map(({ subscription: s, undelivered, more }) => (
        <article key={s.id} data-subscription={s.id}>
          <header>
            <span class={`status ${s.status}`}>{s.status}</span> <code>{s.url}</code>{' '}
            {s.description ? <small>{s.description}</small> : null}
            {s.status === 'DISABLED' ? (
              <button
                type="button"
                class="inline"
                data-action="enable"
                onClick={() => act('Enable', `/webhook-subscriptions/${s.id}/enable`, undefined)}
              >
                Enable
              </button>
            ) : null}
          </header>
          {s.disabledReason ? <p class="error">{s.disabledReason}</p> : null}
          <p>
            {s.eventTypes.join(', ')} · since {when(s.createdAt)} ·{' '}
            <span data-undelivered={undelivered.length}>
              {undelivered.length === 0
                ? 'everything delivered'
                : `${undelivered.length}${more ? '+' : ''} not delivered`}
            </span>
          </p>
          {undelivered.length > 0 ? (
            <table class="striped deliveries">
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Happened</th>
                  <th>Status</th>
                  <th class="number">Attempts</th>
                  <th>Last answer</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {undelivered.map((d) => (
                  <tr key={d.id} data-delivery={d.eventId}>
                    <td>
                      {d.eventType} <small>{d.stream}</small>
                    </td>
                    <td title={d.occurredAt}>{since(d.occurredAt)}</td>
                    <td>
                      <span class={`status ${d.status}`}>{d.status}</span>
                    </td>
                    <td class="number">{d.attempts.length}</td>
                    <td data-last-answer>{lastAnswer(d)}</td>
                    <td>
                      <button
                        type="button"
                        class="inline"
                        data-action="redeliver"
                        disabled={s.status !== 'ENABLED'}
                        onClick={() =>
                          act(
                            'Send again',
                            `/webhook-subscriptions/${s.id}/deliveries/${encodeURIComponent(d.id)}/redeliver`,
                            undefined,
                          )
                        }
                      >
                        Send again
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </article>
      ))}

      <h3>Bulk jobs</h3>
      {jobs.length === 0 ? <p>None yet.</p> : null}
      <table class="striped jobs">
        <thead>
          <tr>
            <th>Started</th>
            <th>Action</th>
            <th>Filter</th>
            <th>Status</th>
            <th class="number">Matched</th>
            <th class="number">Applied</th>
            <th class="number">Skipped</th>
            <th class="number">Failed</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job={j.id}>
              <td title={j.createdAt}>{when(j.createdAt)}</td>
              <td>
                {j.action}
                {j.reason ? <small> ({j.reason})</small> : null}
              </td>
              <td>
                <code>{JSON.stringify(j.filter)}</code>
              </td>
              <td>
                <span class={`status ${j.status}`} data-job-status>
                  {j.status}
                </span>
                {j.error ? <small class="error"> {j.error}</small> : null}
              </td>
              <td class="number">{j.matched}</td>
              <td class="number" data-applied>
                {j.applied}
              </td>
              <td class="number" title={j.skips.map((x) => `${x.orderId}: ${x.reason}`).join('\n')}>
                {j.skipped}
              </td>
              <td class="number" title={j.failures.map((x) => `${x.orderId}: ${x.error}`).join('\n')}>
                {j.failed}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
