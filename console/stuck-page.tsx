import { useCallback, useState } from 'preact/hooks';
import type { Alert, StoppedExecution } from '../shared/application/ports';
import type { LateOrder } from '../shared/domain/late-orders';
import { STAGES } from '../shared/domain/late-orders';
import { api } from './api';
import { since, when } from './format';
import { useAction, usePolling } from './hooks';
import { Messages } from './messages';

interface DeadLetterQueue {
  queue: string;
  approximateCount: number;
  letters: Array<{ id: string; attempts?: number; error?: { type?: string; message?: string } }>;
}

const REFRESH_MS = 10_000;
const orderLink = (id: string) => <a href={`#/orders/${id}`}>{id}</a>;

/** What needs ops now: orders late in a stage, workflows that stopped, dead letters, alerts. */
export function StuckPage() {
  const [stage, setStage] = useState('');
  const [olderThan, setOlderThan] = useState('');
  const [late, setLate] = useState<{ items: LateOrder[]; truncated: boolean }>();
  const [stopped, setStopped] = useState<StoppedExecution[]>([]);
  const [letters, setLetters] = useState<DeadLetterQueue[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    const query = new URLSearchParams();
    if (stage) query.set('stage', stage);
    if (olderThan) query.set('olderThanHours', olderThan);
    try {
      const [lateOrders, executions, deadLetters, alertPage] = await Promise.all([
        api<{ items: LateOrder[]; truncated: boolean }>('GET', `/orders/late?${query}`),
        api<{ items: StoppedExecution[] }>('GET', '/ops/stopped-executions'),
        api<{ queues: DeadLetterQueue[] }>('GET', '/dead-letters'),
        api<{ items: Alert[] }>('GET', '/alerts?limit=25'),
      ]);
      setLate(lateOrders);
      setStopped(executions.items);
      setLetters(deadLetters.queues.filter((q) => q.approximateCount > 0 || q.letters.length > 0));
      setAlerts(alertPage.items);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [stage, olderThan]);
  usePolling(load, REFRESH_MS);
  const { notice, act } = useAction(load);

  return (
    <section class="stuck">
      <h2>Stuck and late</h2>
      <Messages error={error} notice={notice} />
      <h3>Orders late in their stage</h3>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <select
          aria-label="Stage"
          value={stage}
          onChange={(e) => setStage((e.target as HTMLSelectElement).value)}
        >
          <option value="">Every stage</option>
          {STAGES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          aria-label="Older than hours"
          type="number"
          min="0"
          placeholder="Hours (default: the stage's SLA)"
          value={olderThan}
          onChange={(e) => setOlderThan((e.target as HTMLInputElement).value)}
        />
      </form>
      <table class="striped late">
        <thead>
          <tr>
            <th>Order</th>
            <th>Stage</th>
            <th>Status</th>
            <th>Since</th>
            <th class="number">Waited (h)</th>
            <th class="number">SLA (h)</th>
          </tr>
        </thead>
        <tbody>
          {(late?.items ?? []).map((o) => (
            <tr key={o.orderId} data-late={o.orderId}>
              <td>{orderLink(o.orderId)}</td>
              <td>{o.stage}</td>
              <td>
                <span class={`status ${o.status}`}>{o.status}</span>
              </td>
              <td title={o.since}>{since(o.since)}</td>
              <td class="number">{o.waitedHours.toFixed(1)}</td>
              <td class="number">{o.slaHours}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {late && late.items.length === 0 ? <p>No order is late.</p> : null}
      {late?.truncated ? <p>Only the newest 1,000 orders of a status were read.</p> : null}

      <h3>Workflows that stopped</h3>
      {stopped.length === 0 ? <p>None.</p> : null}
      <table class="striped stopped">
        <tbody>
          {stopped.map((x) => (
            <tr key={x.executionArn} data-stopped={x.orderId}>
              <td>{orderLink(x.orderId)}</td>
              <td>
                <span class={`status ${x.status}`}>{x.status}</span>
              </td>
              <td>{when(x.stopDate)}</td>
              <td>
                {x.error ?? ''} {x.cause ? <small>{x.cause.slice(0, 200)}</small> : null}
              </td>
              <td>
                <button
                  type="button"
                  class="inline"
                  data-action="redrive"
                  onClick={() => act('Redrive', `/orders/${x.orderId}/redrive`, undefined)}
                >
                  Redrive
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Dead letters</h3>
      {letters.length === 0 ? <p>None waiting.</p> : null}
      <table class="striped">
        <tbody>
          {letters.map((q) => (
            <tr key={q.queue}>
              <td>{q.queue}</td>
              <td class="number">{q.approximateCount} waiting</td>
              <td>
                {q.letters[0]?.error
                  ? `${q.letters[0].error.type ?? ''}: ${q.letters[0].error.message ?? ''}`
                  : ''}
              </td>
              <td>
                <button
                  type="button"
                  class="inline"
                  onClick={() => act(`Redrive ${q.queue}`, `/dead-letters/${q.queue}/redrive`, {})}
                >
                  Redrive
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Alerts</h3>
      {alerts.length === 0 ? <p>None.</p> : null}
      <ul class="alerts">
        {alerts.map((a) => (
          <li key={a.id}>
            {when(a.raisedAt)} <strong>{a.type}</strong> {a.message}{' '}
            {typeof a.subject.orderId === 'string' ? orderLink(a.subject.orderId) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
