import type { z } from 'zod';
import { BUSINESS_METRICS } from '../contracts/business-metrics';
import type { EVENT_DETAIL_SCHEMAS } from '../contracts/event-schemas';
import { groupBy } from '../domain/group-by';
import {
  type KpiFact,
  type KpiReport,
  kpiIncrement,
  kpiIncrementsInOrder,
  kpiNeedsMemory,
  kpiReport,
  sincePlacement,
} from '../domain/kpis';
import type { KpiStore } from './ports';

type Schemas = typeof EVENT_DETAIL_SCHEMAS;
type Detail<S extends keyof Schemas, T extends keyof Schemas[S]> = Schemas[S][T] extends z.ZodType
  ? z.infer<Schemas[S][T]>
  : never;

/** The events the KPI projection's rule sends it, by source and detail-type. */
export const KPI_EVENTS = {
  'oms.orders': [
    'OrderPlaced',
    'OrderConfirmed',
    'OrderRouted',
    'OrderBackordered',
    'OrderShipped',
    'OrderDelivered',
    'OrderCancelled',
  ],
  'oms.fulfillment': ['ShipmentShipped'],
  'oms.returns': ['ReturnRequested'],
} as const;

export type KpiEvent =
  | { source: 'oms.orders'; detailType: 'OrderPlaced'; detail: Detail<'oms.orders', 'OrderPlaced'> }
  | { source: 'oms.orders'; detailType: 'OrderRouted'; detail: Detail<'oms.orders', 'OrderRouted'> }
  | {
      source: 'oms.orders';
      detailType:
        | 'OrderConfirmed'
        | 'OrderBackordered'
        | 'OrderShipped'
        | 'OrderDelivered'
        | 'OrderCancelled';
      detail: Detail<'oms.orders', 'OrderConfirmed'>;
    }
  | {
      source: 'oms.fulfillment';
      detailType: 'ShipmentShipped';
      detail: Detail<'oms.fulfillment', 'ShipmentShipped'>;
    }
  | {
      source: 'oms.returns';
      detailType: 'ReturnRequested';
      detail: Detail<'oms.returns', 'ReturnRequested'>;
    };

const STAGE_OF = {
  OrderConfirmed: 'confirmed',
  OrderShipped: 'shipped',
  OrderDelivered: 'delivered',
  OrderBackordered: 'backordered',
  OrderCancelled: 'cancelled',
} as const;

/** What one event says for the figures. */
export function kpiFactOf(event: KpiEvent): KpiFact {
  const at = event.detail.metadata.occurredAt;
  const orderId = event.detail.metadata.orderId;
  switch (event.detailType) {
    case 'OrderPlaced': {
      const { data } = event.detail;
      return {
        type: 'placed',
        orderId,
        channel: data.channel,
        at,
        currency: data.currency,
        grandTotal: data.grandTotal,
        // An event from before lines were carried counts its revenue, not its products.
        lines: data.lines ?? [],
      };
    }
    case 'OrderRouted': {
      const { data } = event.detail;
      return {
        type: 'routed',
        orderId,
        channel: data.channel,
        at,
        ...(data.placedAt ? { placedAt: data.placedAt } : {}),
        shipments: data.shipments.length,
        unitsNotShipped: data.notShipped.reduce((n, l) => n + l.quantity, 0),
        waitedForStock: data.waitedForStock ?? false,
      };
    }
    case 'ShipmentShipped': {
      const { data } = event.detail;
      return {
        type: 'shipmentShipped',
        orderId,
        shipmentId: data.shipmentId,
        at,
        ...(data.carrier?.transitDays === undefined ? {} : { transitDays: data.carrier.transitDays }),
      };
    }
    case 'ReturnRequested': {
      const { data } = event.detail;
      return {
        type: 'returned',
        orderId,
        returnId: data.returnId,
        channel: data.channel,
        at,
        reason: data.reason,
        lines: data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      };
    }
    default: {
      const { data } = event.detail;
      const type = STAGE_OF[event.detailType];
      return type === 'backordered' || type === 'cancelled'
        ? { type, orderId, channel: data.channel, at }
        : { type, orderId, channel: data.channel, at, ...(data.placedAt ? { placedAt: data.placedAt } : {}) };
    }
  }
}

/** The business metrics (shared/contracts/business-metrics.ts) one counted event adds to. */
export function kpiMetrics(
  fact: KpiFact,
): Array<{ name: string; unit: 'Count' | 'Milliseconds'; value: number }> {
  const count = (name: string) => [{ name, unit: 'Count' as const, value: 1 }];
  const timed = (stage: string, placedAt: string | undefined) => {
    const ms = sincePlacement(placedAt, fact.at);
    return ms === undefined
      ? []
      : [{ name: BUSINESS_METRICS.timeTo(stage), unit: 'Milliseconds' as const, value: ms }];
  };
  switch (fact.type) {
    case 'placed':
      return count(BUSINESS_METRICS.ordersPlaced);
    case 'cancelled':
      return count(BUSINESS_METRICS.ordersCancelled);
    case 'backordered':
      return count(BUSINESS_METRICS.ordersBackordered);
    case 'delivered':
      return [...count(BUSINESS_METRICS.ordersDelivered), ...timed('delivered', fact.placedAt)];
    case 'confirmed':
    case 'routed':
    case 'shipped':
      return timed(fact.type, fact.placedAt);
    default:
      return [];
  }
}

/**
 * Adds one event to the figures, once: the store refuses a second count of the same event for
 * the same order (EventBridge delivers at least once; Lambda retries). The order's memory is read
 * only when the figures need it (a parcel's promise, a delivery on time against it):
 * for the rest, the write's own condition refuses a repeat, and a read per event was one more
 * request for each of an order's counted events.
 */
export async function projectKpis(
  deps: { kpis: KpiStore },
  event: KpiEvent,
): Promise<{ counted: boolean; fact: KpiFact }> {
  const fact = kpiFactOf(event);
  return { counted: await countFact(deps, fact), fact };
}

async function countFact(deps: { kpis: KpiStore }, fact: KpiFact): Promise<boolean> {
  if (!kpiNeedsMemory(fact)) return deps.kpis.apply(kpiIncrement(fact), fact.at);
  const memory = await deps.kpis.memory(fact.orderId);
  const increment = kpiIncrement(fact, memory);
  if (memory.counted.includes(increment.once)) return false;
  return deps.kpis.apply(increment, fact.at);
}

/**
 * Adds a batch of events (the projection reads its queue in batches) to the figures, each once:
 * an order's events of the batch count together under one condition, and each counter row is
 * written once for the whole batch. An order refused because one of its events was counted
 * before (a repeat delivery) is counted event by event instead, each refusing its own repeat.
 * Returns the facts that were counted (for the business metrics).
 */
export async function projectKpiBatch(
  deps: { kpis: KpiStore },
  events: readonly KpiEvent[],
): Promise<{ counted: KpiFact[] }> {
  const byOrder = groupBy(events.map(kpiFactOf), (fact) => fact.orderId);
  // One read for the batch's memories, not one per order.
  const memories = await deps.kpis.memories(
    [...byOrder].filter(([, facts]) => facts.some(kpiNeedsMemory)).map(([orderId]) => orderId),
  );
  const orders = [...byOrder].map(([orderId, facts]) => ({
    orderId,
    facts,
    steps: kpiIncrementsInOrder(facts, memories.get(orderId) ?? { counted: [] }),
    at: facts.map((f) => f.at).reduce((a, b) => (a > b ? a : b)),
  }));
  const toApply = orders.filter((o) => o.steps.length > 0);
  const { refused } = await deps.kpis.applyMany(
    toApply.map(({ orderId, steps, at }) => ({ orderId, increments: steps.map((s) => s.increment), at })),
  );
  const counted = toApply
    .filter((o) => !refused.includes(o.orderId))
    .flatMap((o) => o.steps.map((s) => s.fact));
  for (const order of toApply.filter((o) => refused.includes(o.orderId)))
    for (const fact of [...order.facts].sort((a, b) => a.at.localeCompare(b.at)))
      if (await countFact(deps, fact)) counted.push(fact);
  return { counted };
}

/** The figures of the days `from`..`to` (inclusive, UTC), of one channel or all. */
export async function readKpis(
  deps: { kpis: KpiStore },
  range: { from: string; to: string; channel?: string },
): Promise<{ from: string; to: string; channel?: string } & KpiReport> {
  const { rows, skuRows } = await deps.kpis.rows(range);
  return { ...range, ...kpiReport(rows, skuRows) };
}
