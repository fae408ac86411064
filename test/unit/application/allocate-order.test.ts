import { describe, expect, it } from 'vitest';
import { allocateOrder } from '../../../shared/application/allocate-order';
import type { InventoryLedger } from '../../../shared/application/ports';
import { transitionOrder } from '../../../shared/domain/order';
import {
  fixedClock,
  InMemoryLedger,
  InMemoryOrders,
  RecordingPublisher,
  storeOrder,
  testOrder,
} from '../../support/fakes';

async function setup(stock: Record<string, number>) {
  const orders = new InMemoryOrders();
  const placed = testOrder({
    lines: [
      { sku: 'A', quantity: 2, unitPrice: 100 },
      { sku: 'B', quantity: 1, unitPrice: 100 },
    ],
  });
  await storeOrder(orders, transitionOrder(placed, 'CONFIRMED', '2026-01-01T00:00:01.000Z'));
  const ledger = new InMemoryLedger();
  for (const [sku, units] of Object.entries(stock)) ledger.put(sku, units);
  return {
    orders,
    ledger: ledger as unknown as InventoryLedger,
    raw: ledger,
    events: new RecordingPublisher(),
    clock: fixedClock(),
  };
}

describe('allocateOrder', () => {
  it('allocates when every line is covered, publishing OrderAllocated and StockReserved', async () => {
    const deps = await setup({ A: 5, B: 1 });
    expect(await allocateOrder(deps, 'o1')).toEqual({ orderId: 'o1', status: 'ALLOCATED' });
    expect(deps.events.events.map((e) => e.detailType)).toEqual(['OrderAllocated', 'StockReserved']);
    expect(deps.events.events[1]?.detail.data).toEqual({
      orderId: 'o1',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
  });

  it('backorders with what is missing, reserving nothing, and says so once', async () => {
    const deps = await setup({ A: 5 });
    const result = await allocateOrder(deps, 'o1');
    expect(result).toEqual({
      orderId: 'o1',
      status: 'BACKORDERED',
      shortages: [{ sku: 'B', requested: 1, available: 0, missing: 1 }],
    });
    expect((await deps.orders.get('o1'))?.statusReason).toBe('waiting for stock: B (1 missing)');
    expect(deps.raw.stock.get('A')?.reserved).toBe(0);
    await allocateOrder(deps, 'o1');
    expect(deps.events.events.map((e) => e.detailType)).toEqual(['OrderBackordered']);
  });

  it('allocates a backordered order once stock arrives, and a retry reserves nothing twice', async () => {
    const deps = await setup({ A: 5 });
    await allocateOrder(deps, 'o1');
    deps.raw.put('B', 3);
    expect((await allocateOrder(deps, 'o1')).status).toBe('ALLOCATED');
    expect((await allocateOrder(deps, 'o1')).status).toBe('ALLOCATED');
    expect(deps.raw.stock.get('B')?.reserved).toBe(1);
    expect((await deps.orders.get('o1'))?.timeline.map((t) => t.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'BACKORDERED',
      'ALLOCATED',
    ]);
  });
});
