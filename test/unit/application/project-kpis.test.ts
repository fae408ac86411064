import { describe, expect, it } from 'vitest';
import { type KpiEvent, projectKpiBatch, projectKpis } from '../../../shared/application/kpis';
import type { KpiStore } from '../../../shared/application/ports';
import type { KpiIncrement, OrderKpiMemory } from '../../../shared/domain/kpis';

/** A store that counts each `once` per order a single time, as the table's condition does, and counts its reads. */
function memoryStore() {
  const orders = new Map<string, OrderKpiMemory & { counted: string[] }>();
  const state = {
    reads: 0,
    applied: [] as KpiIncrement[],
    batches: [] as string[][],
    asked: [] as string[][],
  };
  const store: KpiStore = {
    async memory(orderId) {
      state.reads++;
      return orders.get(orderId) ?? { counted: [] };
    },
    async memories(orderIds) {
      state.reads++;
      state.asked.push([...orderIds]);
      return new Map(orderIds.map((id) => [id, orders.get(id) ?? { counted: [] }]));
    },
    async apply(increment) {
      const memory = orders.get(increment.orderId) ?? { counted: [] };
      if (memory.counted.includes(increment.once)) return false;
      orders.set(increment.orderId, {
        ...memory,
        ...increment.remember,
        counted: [...memory.counted, increment.once],
      });
      state.applied.push(increment);
      return true;
    },
    async applyMany(batch) {
      state.batches.push(batch.map((o) => o.orderId));
      const refused: string[] = [];
      for (const { orderId, increments } of batch) {
        const memory = orders.get(orderId) ?? { counted: [] };
        if (increments.some((i) => memory.counted.includes(i.once))) {
          refused.push(orderId);
          continue;
        }
        for (const increment of increments) {
          const now = orders.get(orderId) ?? { counted: [] };
          orders.set(orderId, { ...now, ...increment.remember, counted: [...now.counted, increment.once] });
          state.applied.push(increment);
        }
      }
      return { refused };
    },
    rows: async () => ({ rows: [], skuRows: [] }),
  };
  return { state, store };
}

const metadata = (sequence: number, occurredAt: string, orderId = 'o1') => ({
  eventId: `${orderId}-${sequence}`,
  orderId,
  sequence,
  occurredAt,
  correlationId: orderId,
});
const confirmed = {
  source: 'oms.orders',
  detailType: 'OrderConfirmed',
  detail: { metadata: metadata(2, '2026-12-07T10:00:01.000Z'), data: { channel: 'web' } },
} as unknown as KpiEvent;
const shipped = {
  source: 'oms.fulfillment',
  detailType: 'ShipmentShipped',
  detail: {
    metadata: metadata(5, '2026-12-07T12:00:00.000Z'),
    data: { shipmentId: 'o1-1', carrier: { transitDays: 2 } },
  },
} as unknown as KpiEvent;
const delivered = {
  source: 'oms.orders',
  detailType: 'OrderDelivered',
  detail: { metadata: metadata(8, '2026-12-08T12:00:00.000Z'), data: { channel: 'web' } },
} as unknown as KpiEvent;

describe('the KPI projection', () => {
  it("reads an order's memory only for the events whose figures need it (a parcel's promise, a delivery on time), and counts a repeat once without it", async () => {
    const { state, store } = memoryStore();
    expect((await projectKpis({ kpis: store }, confirmed)).counted).toBe(true);
    expect((await projectKpis({ kpis: store }, confirmed)).counted).toBe(false);
    expect(state.reads).toBe(0);

    await projectKpis({ kpis: store }, shipped);
    await projectKpis({ kpis: store }, delivered);
    expect(state.reads).toBe(2);
    expect(state.applied.at(-1)?.counters).toMatchObject({ onTime: 1 });
  });

  it("counts a batch in one call to the store, each order's events together; a parcel's promise and its delivery in the same batch still make the delivery on time", async () => {
    const { state, store } = memoryStore();
    const otherOrder = {
      source: 'oms.orders',
      detailType: 'OrderConfirmed',
      detail: { metadata: metadata(2, '2026-12-07T10:00:02.000Z', 'o2'), data: { channel: 'web' } },
    } as unknown as KpiEvent;
    // Delivered first in the batch: the projection orders an order's facts by when they happened.
    const { counted } = await projectKpiBatch({ kpis: store }, [delivered, confirmed, otherOrder, shipped]);
    expect(counted.map((f) => `${f.orderId}:${f.type}`)).toEqual([
      'o1:confirmed',
      'o1:shipmentShipped',
      'o1:delivered',
      'o2:confirmed',
    ]);
    expect(state.batches).toEqual([['o1', 'o2']]);
    expect(state.reads).toBe(1);
    expect(state.applied.find((i) => i.once === 'delivered')?.counters).toMatchObject({ onTime: 1 });
  });

  it("reads the memories of a batch's orders in one call, asking only for the orders whose events need one", async () => {
    const { state, store } = memoryStore();
    const deliveredOf = (orderId: string) =>
      ({
        ...delivered,
        detail: { ...delivered.detail, metadata: metadata(9, '2026-12-09T10:00:00.000Z', orderId) },
      }) as unknown as KpiEvent;
    const confirmedOf = (orderId: string) =>
      ({
        ...confirmed,
        detail: { ...confirmed.detail, metadata: metadata(2, '2026-12-07T10:00:01.000Z', orderId) },
      }) as unknown as KpiEvent;
    await projectKpiBatch({ kpis: store }, [deliveredOf('a'), confirmedOf('b'), deliveredOf('c')]);
    expect(state.reads).toBe(1);
    expect(state.asked).toEqual([['a', 'c']]);
  });

  it('counts an order the store refused (one of its events was counted before) event by event: the repeat once, the new events too', async () => {
    const { state, store } = memoryStore();
    await projectKpis({ kpis: store }, confirmed);
    const { counted } = await projectKpiBatch({ kpis: store }, [confirmed, shipped, delivered]);
    expect(counted.map((f) => f.type)).toEqual(['shipmentShipped', 'delivered']);
    expect(state.applied.map((i) => i.once)).toEqual(['confirmed', 'shipped#o1-1', 'delivered']);
    expect(state.applied.at(-1)?.counters).toMatchObject({ onTime: 1 });
  });
});
