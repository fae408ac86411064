import { describe, expect, it } from 'vitest';
import { type KpiEvent, projectKpis } from '../../../shared/application/kpis';
import type { KpiStore } from '../../../shared/application/ports';
import type { KpiIncrement, OrderKpiMemory } from '../../../shared/domain/kpis';

/** A store that counts each `once` per order a single time, as the table's condition does, and counts its reads. */
function memoryStore() {
  const orders = new Map<string, OrderKpiMemory & { counted: string[] }>();
  const state = { reads: 0, applied: [] as KpiIncrement[] };
  const store: KpiStore = {
    async memory(orderId) {
      state.reads++;
      return orders.get(orderId) ?? { counted: [] };
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
    rows: async () => ({ rows: [], skuRows: [] }),
  };
  return { state, store };
}

const metadata = (sequence: number, occurredAt: string) => ({
  eventId: `o1-${sequence}`,
  orderId: 'o1',
  sequence,
  occurredAt,
  correlationId: 'o1',
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
});
