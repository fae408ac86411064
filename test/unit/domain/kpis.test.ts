import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  bucketValue,
  DURATION_RELATIVE_ACCURACY,
  type KpiFact,
  type KpiRow,
  kpiIncrement,
  kpiReport,
  type OrderKpiMemory,
  type SkuKpiRow,
} from '../../../shared/domain/kpis';

/** The projection's store, in memory: counters per day and channel (and SKU), memory per order. */
function project(facts: KpiFact[]) {
  const rows = new Map<string, KpiRow>();
  const skuRows = new Map<string, SkuKpiRow>();
  const memory = new Map<string, OrderKpiMemory & { counted: Set<string> }>();
  const add = (target: Record<string, number>, counters: Record<string, number>) => {
    for (const [k, v] of Object.entries(counters)) target[k] = (target[k] ?? 0) + v;
  };
  for (const fact of facts) {
    const kept = memory.get(fact.orderId) ?? { counted: new Set<string>() };
    const inc = kpiIncrement(fact, kept);
    if (kept.counted.has(inc.once)) continue;
    kept.counted.add(inc.once);
    if (inc.remember?.promisedBy) kept.promisedBy = inc.remember.promisedBy;
    memory.set(fact.orderId, kept);
    if (!inc.day || !inc.channel) continue;
    const key = `${inc.day}#${inc.channel}`;
    const row = rows.get(key) ?? { day: inc.day, channel: inc.channel, counters: {} };
    add(row.counters, inc.counters);
    rows.set(key, row);
    for (const [sku, counters] of Object.entries(inc.skuCounters)) {
      const skuKey = `${key}#${sku}`;
      const skuRow = skuRows.get(skuKey) ?? { day: inc.day, channel: inc.channel, sku, counters: {} };
      add(skuRow.counters, counters);
      skuRows.set(skuKey, skuRow);
    }
  }
  return kpiReport([...rows.values()], [...skuRows.values()]);
}

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const placed = T0;
const placedAt = new Date(placed).toISOString();

/** Order A (web): 2 x TSHIRT 4990 + 1 x MUG 2500, one shipment, delivered on time, one TSHIRT returned. */
const orderA: KpiFact[] = [
  {
    type: 'placed',
    orderId: 'A',
    channel: 'web',
    at: placedAt,
    currency: 'BRL',
    grandTotal: 12480,
    lines: [
      { sku: 'TSHIRT', quantity: 2, lineTotal: 9980 },
      { sku: 'MUG', quantity: 1, lineTotal: 2500 },
    ],
  },
  { type: 'confirmed', orderId: 'A', channel: 'web', at: at(1), placedAt },
  {
    type: 'routed',
    orderId: 'A',
    channel: 'web',
    at: at(2),
    placedAt,
    shipments: 1,
    unitsNotShipped: 0,
    waitedForStock: false,
  },
  { type: 'shipmentShipped', orderId: 'A', shipmentId: 'A-1', at: at(60), transitDays: 2 },
  { type: 'shipped', orderId: 'A', channel: 'web', at: at(60), placedAt },
  { type: 'delivered', orderId: 'A', channel: 'web', at: at(2 * 24 * 60), placedAt },
  {
    type: 'returned',
    orderId: 'A',
    returnId: 'A-R1',
    channel: 'web',
    at: at(3 * 24 * 60),
    reason: 'size_fit',
    lines: [{ sku: 'TSHIRT', quantity: 1 }],
  },
];

/** Order B (web): 1 x MUG, backordered first, then split over two locations, delivered late. */
const orderB: KpiFact[] = [
  {
    type: 'placed',
    orderId: 'B',
    channel: 'web',
    at: placedAt,
    currency: 'BRL',
    grandTotal: 2500,
    lines: [{ sku: 'MUG', quantity: 1, lineTotal: 2500 }],
  },
  { type: 'confirmed', orderId: 'B', channel: 'web', at: at(3), placedAt },
  { type: 'backordered', orderId: 'B', channel: 'web', at: at(4) },
  {
    type: 'routed',
    orderId: 'B',
    channel: 'web',
    at: at(600),
    placedAt,
    shipments: 2,
    unitsNotShipped: 0,
    waitedForStock: true,
  },
  { type: 'shipmentShipped', orderId: 'B', shipmentId: 'B-1', at: at(700), transitDays: 1 },
  { type: 'shipped', orderId: 'B', channel: 'web', at: at(700), placedAt },
  { type: 'delivered', orderId: 'B', channel: 'web', at: at(5 * 24 * 60), placedAt },
];

/** Order C (b2b, USD): cancelled after confirmation. */
const orderC: KpiFact[] = [
  {
    type: 'placed',
    orderId: 'C',
    channel: 'b2b',
    at: at(30),
    currency: 'USD',
    grandTotal: 10000,
    lines: [{ sku: 'DESK', quantity: 1, lineTotal: 10000 }],
  },
  { type: 'confirmed', orderId: 'C', channel: 'b2b', at: at(35), placedAt: at(30) },
  { type: 'cancelled', orderId: 'C', channel: 'b2b', at: at(40) },
];

describe('KPI projection', () => {
  it('sums a known set of orders into exact counts, revenue per channel and product, and rates with their numerators and denominators', () => {
    const report = project([...orderA, ...orderB, ...orderC]);
    expect(report.totals).toEqual({ placed: 3, units: 5, delivered: 2, cancelled: 1, returns: 1 });
    expect(report.ordersPerDay).toEqual([
      { day: '2026-12-01', channel: 'b2b', orders: 1 },
      { day: '2026-12-01', channel: 'web', orders: 2 },
    ]);
    expect(report.revenue.byChannel).toEqual([
      { channel: 'web', currency: 'BRL', amount: 14980 },
      { channel: 'b2b', currency: 'USD', amount: 10000 },
    ]);
    expect(report.revenue.byProduct).toEqual([
      { sku: 'DESK', units: 1, currency: 'USD', amount: 10000 },
      { sku: 'TSHIRT', units: 2, currency: 'BRL', amount: 9980 },
      { sku: 'MUG', units: 2, currency: 'BRL', amount: 5000 },
    ]);
    expect(report.rates).toEqual({
      fill: { value: 0.5, numerator: 1, denominator: 2 },
      split: { value: 0.5, numerator: 1, denominator: 2 },
      backorder: { value: 1 / 3, numerator: 1, denominator: 3 },
      cancellation: { value: 1 / 3, numerator: 1, denominator: 3 },
      return: { value: 0.5, numerator: 1, denominator: 2 },
      onTime: { value: 0.5, numerator: 1, denominator: 2 },
    });
    expect(report.returnsBySku).toEqual([
      {
        sku: 'TSHIRT',
        units: 2,
        returnedUnits: 1,
        rate: { value: 0.5, numerator: 1, denominator: 2 },
        reasons: { size_fit: 1 },
      },
    ]);
  });

  it('gives p50 and p95 of the time from placement to each stage within the stated 2% of the true values', () => {
    const report = project([...orderA, ...orderB, ...orderC]);
    const close = (actual: number | null, minutes: number) => {
      const expected = minutes * 60_000;
      expect(Math.abs((actual ?? 0) - expected) / expected).toBeLessThanOrEqual(DURATION_RELATIVE_ACCURACY);
    };
    // confirmed after 1, 3 and 5 minutes (C: 35 - 30): p50 = 3 min, p95 = 5 min (nearest rank)
    expect(report.stages.confirmed).toMatchObject({ count: 3, timed: 3 });
    close(report.stages.confirmed.p50Ms, 3);
    close(report.stages.confirmed.p95Ms, 5);
    // routed after 2 and 600 minutes
    close(report.stages.routed.p50Ms, 2);
    close(report.stages.routed.p95Ms, 600);
    close(report.stages.shipped.p50Ms, 60);
    close(report.stages.delivered.p50Ms, 2 * 24 * 60);
    close(report.stages.delivered.p95Ms, 5 * 24 * 60);
  });

  it('counts an event delivered twice (EventBridge is at least once) once, and one order per channel only in its own', () => {
    const twice = project([...orderA, ...orderA, ...orderC.slice(0, 1), orderC[0] as KpiFact]);
    expect(twice.totals).toEqual({ placed: 2, units: 4, delivered: 1, cancelled: 0, returns: 1 });
    expect(twice.rates.onTime).toEqual({ value: 1, numerator: 1, denominator: 1 });
  });

  it('judges on time against the carrier promise: delivered by the end of the day transit days after it shipped', () => {
    const shipped = '2026-12-01T23:00:00.000Z';
    const facts = (deliveredAt: string): KpiFact[] => [
      { type: 'shipmentShipped', orderId: 'P', shipmentId: 'P-1', at: shipped, transitDays: 2 },
      { type: 'delivered', orderId: 'P', channel: 'web', at: deliveredAt },
    ];
    expect(project(facts('2026-12-03T23:59:59.000Z')).rates.onTime.numerator).toBe(1);
    expect(project(facts('2026-12-04T00:00:01.000Z')).rates.onTime).toEqual({
      value: 0,
      numerator: 0,
      denominator: 1,
    });
    // No promise known (no carrier quote): neither on time nor late.
    expect(
      project([{ type: 'delivered', orderId: 'Q', channel: 'web', at: shipped }]).rates.onTime.denominator,
    ).toBe(0);
  });

  it('maps durations to buckets whose value is within 2% of every duration in them, from a millisecond to a month', () => {
    for (let ms = 1; ms < 31 * 86_400_000; ms = Math.ceil(ms * 1.37)) {
      const error = Math.abs(bucketValue(bucketOf(ms)) - ms) / ms;
      expect(error, `${ms} ms`).toBeLessThanOrEqual(DURATION_RELATIVE_ACCURACY);
    }
  });
});
