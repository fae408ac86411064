import { useCallback, useState } from 'preact/hooks';
import { CANCEL_REASONS } from '../shared/domain/cancellation';
import type { ExecutionGraph, HistoryEvent } from '../shared/domain/execution-graph';
import { HOLD_REASONS } from '../shared/domain/hold';
import type { OrderReturn } from '../shared/domain/returns';
import type { ShipmentRecord } from '../shared/domain/shipment';
import { ApiProblem, api } from './api';
import { ExecutionGraphView, RUN_LEGEND } from './execution-graph';
import { money, when } from './format';
import { useAction, usePolling } from './hooks';
import { Messages } from './messages';
import type { OrderView } from './orders-page';

interface Activity {
  sequence: number;
  type: string;
  source: string;
  occurredAt: string;
}
interface ExecutionView {
  executionArn: string;
  status: string;
  startDate: string;
  graph: ExecutionGraph;
  events: HistoryEvent[];
}
interface Story {
  order: OrderView;
  activity: Activity[];
  shipments: ShipmentRecord[];
  returns: OrderReturn[];
  routing?: string[];
  execution?: ExecutionView;
}

const REFRESH_MS = 3_000;

/** A read that may not exist yet (no routing decision, no execution): undefined instead of an error. */
const optional = <T,>(read: Promise<T>) =>
  read.catch((error: unknown) => {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  });

async function loadStory(id: string): Promise<Story> {
  const [order, activity, shipments, returns, routing, execution] = await Promise.all([
    api<OrderView>('GET', `/orders/${id}`),
    api<{ items: Activity[] }>('GET', `/orders/${id}/events`),
    api<{ items: ShipmentRecord[] }>('GET', `/orders/${id}/shipments`),
    api<{ items: OrderReturn[] }>('GET', `/returns?orderId=${id}`),
    optional(api<{ explanation: string[] }>('GET', `/orders/${id}/routing`)),
    optional(api<ExecutionView>('GET', `/orders/${id}/execution`)),
  ]);
  return {
    order,
    activity: activity.items,
    shipments: shipments.items,
    returns: returns.items,
    ...(routing ? { routing: routing.explanation } : {}),
    ...(execution ? { execution } : {}),
  };
}

/** One order's whole story: money, lines, timeline, routing, shipments, returns and its workflow. */
export function OrderPage({ id }: { id: string }) {
  const [story, setStory] = useState<Story>();
  const [error, setError] = useState<string>();

  const reload = useCallback(
    () =>
      loadStory(id)
        .then((s) => {
          setStory(s);
          setError(undefined);
        })
        .catch((e: Error) => setError(e.message)),
    [id],
  );
  usePolling(reload, REFRESH_MS);
  const { notice, act } = useAction(reload);

  if (!story) return <p aria-busy="true">{error ?? 'Loading order...'}</p>;
  const { order } = story;
  const m = order.payment.money;
  return (
    <section class="order" data-order={order.id}>
      <hgroup>
        <h2>
          Order {order.id}{' '}
          <span class={`status ${order.status}`} data-testid="order-status">
            {order.status}
          </span>
        </h2>
        <p>
          {order.channel}
          {order.externalOrderId ? ` #${order.externalOrderId}` : ''} · placed {when(order.createdAt)} ·{' '}
          {order.customer.email}
          {order.statusReason ? ` · ${order.statusReason}` : ''}
        </p>
      </hgroup>
      <Messages error={error} notice={notice} />
      <Actions order={order} executionStatus={story.execution?.status} act={act} />
      <div class="grid money">
        {(['authorized', 'captured', 'refunded', 'voided', 'outstanding'] as const).map((k) => (
          <article key={k}>
            <small>{k}</small>
            <strong data-money={k}>{money(m[k], order.currency)}</strong>
          </article>
        ))}
      </div>
      <h3>Lines</h3>
      <table class="striped">
        <thead>
          <tr>
            <th>#</th>
            <th>SKU</th>
            <th class="number">Qty</th>
            <th class="number">Unit</th>
            <th class="number">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.lineNumber}>
              <td>{l.lineNumber}</td>
              <td>{l.sku}</td>
              <td class="number">{l.quantity}</td>
              <td class="number">{money(l.unitPrice, order.currency)}</td>
              <td class="number">{money(l.lineTotal, order.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Workflow</h3>
      {story.execution ? <Execution execution={story.execution} /> : <p>Its workflow has not started.</p>}
      <h3>Routing</h3>
      {story.routing ? (
        <ul class="routing">
          {story.routing.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      ) : (
        <p>Not routed yet.</p>
      )}
      <h3>Shipments</h3>
      {story.shipments.length === 0 ? <p>None yet.</p> : null}
      {story.shipments.map((s) => (
        <details key={s.id} open>
          <summary>
            {s.id} from {s.locationId}: <span class={`status ${s.status}`}>{s.status}</span>
            {s.trackingNumber ? ` · ${s.carrier?.carrier ?? ''} ${s.trackingNumber}` : ''}
          </summary>
          <ul>
            {s.history.map((h) => (
              <li key={`${h.at}-${h.status}-${h.tracking ?? ''}`}>
                {when(h.at)} {h.status}
                {h.tracking ? ` (${h.tracking})` : ''} by {h.source}
                {h.detail ? `: ${h.detail}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ))}
      <h3>Returns</h3>
      {story.returns.length === 0 ? <p>None.</p> : null}
      <ul>
        {story.returns.map((r) => (
          <li key={r.id}>
            {r.id}: <span class={`status ${r.status}`}>{r.status}</span> · {r.reason} ·{' '}
            {money(r.amount, r.currency)}
            {r.status === 'REQUESTED' ? (
              <button
                type="button"
                class="inline"
                onClick={() =>
                  act('Approve return', `/returns/${r.id}/approve`, { note: 'approved in the console' })
                }
              >
                Approve
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <h3>Timeline</h3>
      <ol class="timeline">
        {story.activity.map((a) => (
          <li key={a.sequence}>
            {when(a.occurredAt)} <strong>{a.type}</strong> <small>{a.source}</small>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Actions({
  order,
  executionStatus,
  act,
}: {
  order: OrderView;
  executionStatus: string | undefined;
  act: (label: string, path: string, body: unknown) => Promise<void>;
}) {
  const stopped = ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(executionStatus ?? '');
  const [holdReason, setHoldReason] = useState<string>(HOLD_REASONS[0]);
  const [cancelReason, setCancelReason] = useState<string>('ops_decision');
  const closed = ['DELIVERED', 'CANCELLED', 'FAILED'].includes(order.status);
  return (
    <form class="actions" onSubmit={(e) => e.preventDefault()}>
      {stopped ? (
        <button
          type="button"
          data-action="redrive"
          onClick={() => act('Redrive', `/orders/${order.id}/redrive`, undefined)}
        >
          Redrive workflow
        </button>
      ) : null}
      {order.status === 'ON_HOLD' ? (
        <button
          type="button"
          data-action="release"
          onClick={() => act('Release', `/orders/${order.id}/release`, { note: 'released in the console' })}
        >
          Release
        </button>
      ) : (
        <fieldset class="group">
          <select
            aria-label="Hold reason"
            value={holdReason}
            onChange={(e) => setHoldReason((e.target as HTMLSelectElement).value)}
          >
            {HOLD_REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button
            type="button"
            data-action="hold"
            disabled={closed}
            onClick={() =>
              act('Hold', `/orders/${order.id}/hold`, { reason: holdReason, note: 'held in the console' })
            }
          >
            Hold
          </button>
        </fieldset>
      )}
      <fieldset class="group">
        <select
          aria-label="Cancel reason"
          value={cancelReason}
          onChange={(e) => setCancelReason((e.target as HTMLSelectElement).value)}
        >
          {CANCEL_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button
          type="button"
          class="contrast"
          data-action="cancel"
          disabled={closed}
          onClick={() =>
            confirm(`Cancel order ${order.id}?`) &&
            act('Cancel', `/orders/${order.id}/cancel`, { reason: cancelReason })
          }
        >
          Cancel order
        </button>
      </fieldset>
    </form>
  );
}

function Execution({ execution }: { execution: ExecutionView }) {
  return (
    <div class="execution" data-execution-status={execution.status}>
      <p>
        Execution <code>{execution.executionArn.split(':').at(-1)}</code>:{' '}
        <span class={`status ${execution.status}`}>{execution.status}</span> since {when(execution.startDate)}
      </p>
      <ul class="legend">
        {Object.entries(RUN_LEGEND).map(([run, label]) => (
          <li key={run} class={run}>
            {label}
          </li>
        ))}
      </ul>
      <div class="graph-scroll">
        <ExecutionGraphView graph={execution.graph} />
      </div>
      <details>
        <summary>History ({execution.events.length} events)</summary>
        <ol class="history">
          {execution.events.map((e) => (
            <li key={e.id}>
              {when(String(e.timestamp))} {e.type}{' '}
              {e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? ''}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
