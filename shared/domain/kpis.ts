import { groupBy } from './group-by';
/**
 * The business figures ops watch, kept as counters per day and channel (and per day, channel and
 * SKU) that each order event adds to once. Reading a period sums its days: no order is read at
 * request time, whatever the period.
 */

/** Time from placement to each stage, as percentiles. */
export const KPI_STAGES = ['confirmed', 'routed', 'shipped', 'delivered'] as const;
export type KpiStage = (typeof KPI_STAGES)[number];

/**
 * Durations go into logarithmic buckets whose representative value is within 2% of every value in
 * them (the mapping of DDSketch: key = ceil(log_γ v), value = 2γ^key / (γ + 1)). Hand-written
 * because the counts live in DynamoDB as atomic counters, one attribute per bucket, not in a
 * sketch object in memory; the mapping itself is these two lines.
 */
export const DURATION_RELATIVE_ACCURACY = 0.02;
const GAMMA = (1 + DURATION_RELATIVE_ACCURACY) / (1 - DURATION_RELATIVE_ACCURACY);
export const bucketOf = (ms: number) => (ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(GAMMA)));
export const bucketValue = (key: number) => (key === 0 ? 1 : (2 * GAMMA ** key) / (GAMMA + 1));

/** What the projection reads off one event, whichever its source. */
export type KpiFact =
  | {
      type: 'placed';
      orderId: string;
      channel: string;
      at: string;
      currency: string;
      grandTotal: number;
      lines: ReadonlyArray<{ sku: string; quantity: number; lineTotal: number }>;
    }
  | {
      type: 'confirmed' | 'shipped' | 'delivered';
      orderId: string;
      channel: string;
      at: string;
      placedAt?: string;
    }
  | {
      type: 'routed';
      orderId: string;
      channel: string;
      at: string;
      placedAt?: string;
      shipments: number;
      unitsNotShipped: number;
      waitedForStock: boolean;
    }
  | { type: 'backordered' | 'cancelled'; orderId: string; channel: string; at: string }
  | { type: 'shipmentShipped'; orderId: string; shipmentId: string; at: string; transitDays?: number }
  | {
      type: 'returned';
      orderId: string;
      returnId: string;
      channel: string;
      at: string;
      reason: string;
      lines: ReadonlyArray<{ sku: string; quantity: number }>;
    };

/** What the projection keeps per order between its events: the latest delivery it was promised. */
export interface OrderKpiMemory {
  promisedBy?: string;
}

/** One event's part in the figures: counted once per order under `once`. */
export interface KpiIncrement {
  once: string;
  orderId: string;
  day?: string;
  channel?: string;
  counters: Record<string, number>;
  skuCounters: Record<string, Record<string, number>>;
  remember?: OrderKpiMemory;
}

const dayOf = (iso: string) => iso.slice(0, 10);
const DAY_MS = 86_400_000;

/** Milliseconds from placement to `at`, when the event said when the order was placed. */
export function sincePlacement(placedAt: string | undefined, at: string): number | undefined {
  if (!placedAt) return undefined;
  return Math.max(0, Date.parse(at) - Date.parse(placedAt));
}

function stage(name: KpiStage, placedAt: string | undefined, at: string): Record<string, number> {
  const ms = sincePlacement(placedAt, at);
  return { [name]: 1, ...(ms === undefined ? {} : { [`t#${name}#${bucketOf(ms)}`]: 1 }) };
}

/** Whether a fact's increment depends on what the projection remembers of its order (its promise). */
export const kpiNeedsMemory = (fact: KpiFact): boolean =>
  fact.type === 'delivered' || fact.type === 'shipmentShipped';

/**
 * One order's facts of a batch as increments, in the order they happened, each seeing what the
 * ones before it left in the memory (a parcel's promise before its delivery); a fact counted
 * already (in `memory.counted`, or earlier in the batch) adds nothing.
 */
export function kpiIncrementsInOrder(
  facts: readonly KpiFact[],
  memory: OrderKpiMemory & { counted: readonly string[] },
): Array<{ fact: KpiFact; increment: KpiIncrement }> {
  const counted = new Set(memory.counted);
  let remembered: OrderKpiMemory = memory.promisedBy ? { promisedBy: memory.promisedBy } : {};
  const increments: Array<{ fact: KpiFact; increment: KpiIncrement }> = [];
  for (const fact of [...facts].sort((a, b) => a.at.localeCompare(b.at))) {
    const increment = kpiIncrement(fact, remembered);
    if (counted.has(increment.once)) continue;
    counted.add(increment.once);
    if (increment.remember) remembered = { ...remembered, ...increment.remember };
    increments.push({ fact, increment });
  }
  return increments;
}

/** The counters one event adds to, given what the projection remembers of its order. */

export function kpiIncrement(fact: KpiFact, memory: OrderKpiMemory = {}): KpiIncrement {
  const base = { orderId: fact.orderId, skuCounters: {} };
  switch (fact.type) {
    case 'placed':
      return {
        ...base,
        once: 'placed',
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: {
          placed: 1,
          units: fact.lines.reduce((n, l) => n + l.quantity, 0),
          [`revenue#${fact.currency}`]: fact.grandTotal,
        },
        skuCounters: Object.fromEntries(
          fact.lines.map((l) => [l.sku, { units: l.quantity, [`revenue#${fact.currency}`]: l.lineTotal }]),
        ),
      };
    case 'confirmed':
    case 'shipped':
      return {
        ...base,
        once: fact.type,
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: stage(fact.type, fact.placedAt, fact.at),
      };
    case 'delivered': {
      const promise: Record<string, number> = memory.promisedBy
        ? { [Date.parse(fact.at) <= Date.parse(memory.promisedBy) ? 'onTime' : 'late']: 1 }
        : {};
      return {
        ...base,
        once: 'delivered',
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: { ...stage('delivered', fact.placedAt, fact.at), ...promise },
      };
    }
    case 'routed':
      return {
        ...base,
        once: 'routed',
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: {
          ...stage('routed', fact.placedAt, fact.at),
          ...(fact.shipments > 1 ? { split: 1 } : {}),
          ...(fact.unitsNotShipped === 0 && !fact.waitedForStock ? { filled: 1 } : {}),
        },
      };
    case 'backordered':
    case 'cancelled':
      return {
        ...base,
        once: fact.type,
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: { [fact.type]: 1 },
      };
    case 'shipmentShipped': {
      // The carrier's quoted transit from the day it left; the order's promise is its last parcel's.
      const promisedBy =
        fact.transitDays === undefined
          ? undefined
          : new Date(Date.parse(fact.at) + (fact.transitDays + 1) * DAY_MS).toISOString().slice(0, 10);
      const later =
        promisedBy && (!memory.promisedBy || promisedBy > memory.promisedBy)
          ? `${promisedBy}T00:00:00.000Z`
          : undefined;
      return {
        ...base,
        once: `shipped#${fact.shipmentId}`,
        counters: {},
        ...(later ? { remember: { promisedBy: later } } : {}),
      };
    }
    case 'returned':
      return {
        ...base,
        once: `returned#${fact.returnId}`,
        day: dayOf(fact.at),
        channel: fact.channel,
        counters: { returns: 1, returnedUnits: fact.lines.reduce((n, l) => n + l.quantity, 0) },
        skuCounters: Object.fromEntries(
          fact.lines.map((l) => [
            l.sku,
            { returnedUnits: l.quantity, [`reason#${fact.reason}`]: l.quantity },
          ]),
        ),
      };
  }
}

/** The counters of one day and channel (and, for SKU rows, one SKU). */
export interface KpiRow {
  day: string;
  channel: string;
  counters: Record<string, number>;
}
export interface SkuKpiRow extends KpiRow {
  sku: string;
}

export interface Rate {
  /** numerator / denominator, null when nothing was counted. */
  value: number | null;
  numerator: number;
  denominator: number;
}

const rate = (numerator: number, denominator: number): Rate => ({
  value: denominator === 0 ? null : numerator / denominator,
  numerator,
  denominator,
});

function sum(rows: readonly KpiRow[], counter: string): number {
  return rows.reduce((n, row) => n + (row.counters[counter] ?? 0), 0);
}

/** p50 and p95 of a stage's durations over the rows, from its bucket counts. */
function percentiles(rows: readonly KpiRow[], name: KpiStage) {
  const prefix = `t#${name}#`;
  const buckets = new Map<number, number>();
  for (const row of rows)
    for (const [counter, n] of Object.entries(row.counters))
      if (counter.startsWith(prefix)) {
        const key = Number(counter.slice(prefix.length));
        buckets.set(key, (buckets.get(key) ?? 0) + n);
      }
  const sorted = [...buckets.entries()].sort(([a], [b]) => a - b);
  const timed = sorted.reduce((n, [, c]) => n + c, 0);
  const at = (q: number) => {
    // The rank of the q-quantile among `timed` values, 0-based (nearest rank).
    const rank = Math.max(0, Math.ceil(q * timed) - 1);
    let seen = 0;
    for (const [key, count] of sorted) {
      seen += count;
      if (seen > rank) return Math.round(bucketValue(key));
    }
    return null;
  };
  return { count: sum(rows, name), timed, p50Ms: at(0.5), p95Ms: at(0.95) };
}

/** Per-currency counters ("revenue#BRL") of rows, as a list. */
function byCurrency(counters: Record<string, number>, prefix: string) {
  return Object.entries(counters)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, amount]) => ({ currency: name.slice(prefix.length), amount }));
}

function merge(rows: readonly KpiRow[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row.counters)) total[k] = (total[k] ?? 0) + v;
  return total;
}

/**
 * The figures of a period from its rows. Rates are of events counted in the period: fill rate =
 * orders routed whole without waiting for stock ÷ orders routed; split = routed to more than one
 * location ÷ routed; backorder and cancellation ÷ placed; returns ÷ delivered; on time =
 * delivered by the carrier's promise (quoted transit days after it shipped) ÷ delivered with one.
 */
export function kpiReport(rows: readonly KpiRow[], skuRows: readonly SkuKpiRow[]) {
  const totals = merge(rows);
  const get = (name: string) => totals[name] ?? 0;
  return {
    ordersPerDay: [...rows]
      .filter((r) => (r.counters.placed ?? 0) > 0)
      .map((r) => ({ day: r.day, channel: r.channel, orders: r.counters.placed ?? 0 }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel)),
    totals: {
      placed: get('placed'),
      units: get('units'),
      delivered: get('delivered'),
      cancelled: get('cancelled'),
      returns: get('returns'),
    },
    revenue: {
      byChannel: [...groupBy(rows, (r) => r.channel)].flatMap(([channel, own]) =>
        byCurrency(merge(own), 'revenue#').map((r) => ({ channel, ...r })),
      ),
      byProduct: [...groupBy(skuRows, (r) => r.sku)]
        .flatMap(([sku, own]) => {
          const counters = merge(own);
          return byCurrency(counters, 'revenue#').map((r) => ({ sku, units: counters.units ?? 0, ...r }));
        })
        .sort((a, b) => b.amount - a.amount || a.sku.localeCompare(b.sku)),
    },
    stages: Object.fromEntries(KPI_STAGES.map((s) => [s, percentiles(rows, s)])) as Record<
      KpiStage,
      ReturnType<typeof percentiles>
    >,
    rates: {
      fill: rate(get('filled'), get('routed')),
      split: rate(get('split'), get('routed')),
      backorder: rate(get('backordered'), get('placed')),
      cancellation: rate(get('cancelled'), get('placed')),
      return: rate(get('returns'), get('delivered')),
      onTime: rate(get('onTime'), get('onTime') + get('late')),
    },
    returnsBySku: [...groupBy(skuRows, (r) => r.sku)]
      .map(([sku, own]) => {
        const counters = merge(own);
        return {
          sku,
          units: counters.units ?? 0,
          returnedUnits: counters.returnedUnits ?? 0,
          rate: rate(counters.returnedUnits ?? 0, counters.units ?? 0),
          reasons: Object.fromEntries(
            Object.entries(counters)
              .filter(([name]) => name.startsWith('reason#'))
              .map(([name, n]) => [name.slice('reason#'.length), n]),
          ),
        };
      })
      .filter((r) => r.returnedUnits > 0)
      .sort((a, b) => b.returnedUnits - a.returnedUnits || a.sku.localeCompare(b.sku)),
  };
}
export type KpiReport = ReturnType<typeof kpiReport>;
