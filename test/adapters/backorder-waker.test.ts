import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBackorderBook } from '../../shared/adapters/aws/dynamo-backorder-book';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { type BackorderDeps, registerBackorder, resumeBackorders } from '../../shared/application/backorders';
import type { WorkflowCallbacks } from '../../shared/application/ports';
import { countStock } from '../../shared/domain/inventory';
import { createOrder, type Order, transitionOrder } from '../../shared/domain/order';
import { DEFAULT_ROUTING_POLICY } from '../../shared/domain/routing';
import { fixedClock, InMemoryOrders, RecordingPublisher } from '../support/fakes';
import { useOmsTable } from '../support/oms-table';
import { orderBody } from '../support/orders';

/** Task tokens as Step Functions answers them: the first answer of a live wait counts, any later one is refused. */
class TokenWaits implements WorkflowCallbacks {
  readonly answered = new Set<string>();
  readonly expired = new Set<string>();
  async succeed(taskToken: string): Promise<boolean> {
    if (this.answered.has(taskToken) || this.expired.has(taskToken)) return false;
    this.answered.add(taskToken);
    return true;
  }
  fail(taskToken: string): Promise<boolean> {
    return this.succeed(taskToken);
  }
}

const table = useOmsTable();
let ledger: DynamoInventoryLedger;
let backorders: DynamoBackorderBook;
const at = '2026-11-22T10:00:00.000Z';

beforeAll(() => {
  ledger = new DynamoInventoryLedger(table.db, 'Oms');
  backorders = new DynamoBackorderBook(table.db, 'Oms');
});

async function stock(sku: string, onHand: number) {
  const before = await ledger.level(sku, 'sp-1');
  await ledger.save(before, countStock(before, { sku, locationId: 'sp-1' }, { onHand }, at));
}

function setup() {
  const orders = new InMemoryOrders();
  const callbacks = new TokenWaits();
  const deps = {
    orders,
    ledger,
    backorders,
    callbacks,
    events: new RecordingPublisher(),
    clock: fixedClock(at),
    locations: { list: async () => [] },
    policies: { current: async () => DEFAULT_ROUTING_POLICY },
  } as unknown as BackorderDeps;
  const backordered = async (
    id: string,
    placedAt: string,
    lines: Array<{ sku: string; quantity: number }>,
  ) => {
    const placed = createOrder(
      orderBody({ lines: lines.map((l) => ({ ...l, unitPrice: 1000 })) }) as unknown as Parameters<
        typeof createOrder
      >[0],
      { id, now: placedAt },
    );
    const order: Order = transitionOrder(
      transitionOrder(placed, 'CONFIRMED', placedAt),
      'BACKORDERED',
      placedAt,
    );
    await orders.create(order, { key: id, requestHash: 'h', result: {}, createdAt: placedAt });
    return order;
  };
  const waiting = async (id: string, placedAt: string, lines: Array<{ sku: string; quantity: number }>) => {
    const order = await backordered(id, placedAt, lines);
    await backorders.add({ orderId: id, placedAt, skus: lines.map((l) => l.sku), taskToken: `token-${id}` });
    return order;
  };
  return { deps, callbacks, orders, waiting, backordered };
}

describe('the backorder waker', () => {
  it('wakes a younger order for a SKU when the oldest waiting one still lacks another SKU', async () => {
    const { deps, callbacks, waiting } = setup();
    await stock('STARVE-X', 0);
    await stock('STARVE-Y', 0);
    await waiting('starve-old', '2026-11-20T10:00:00.000Z', [
      { sku: 'STARVE-X', quantity: 1 },
      { sku: 'STARVE-Y', quantity: 1 },
    ]);
    await waiting('starve-young', '2026-11-21T10:00:00.000Z', [{ sku: 'STARVE-X', quantity: 1 }]);
    await stock('STARVE-X', 1);
    expect(await resumeBackorders(deps, 'STARVE-X')).toBe(1);
    expect([...callbacks.answered]).toEqual(['token-starve-young']);
    expect(await ledger.reservationsOf('starve-young')).toEqual([{ sku: 'STARVE-X', quantity: 1 }]);
    expect(await ledger.reservationsOf('starve-old')).toEqual([]);
  });

  it('keeps first come, first served on the SKU itself: an older order short of it holds up younger ones', async () => {
    const { deps, callbacks, waiting } = setup();
    await stock('FIFO-X', 0);
    await waiting('fifo-old', '2026-11-20T10:00:00.000Z', [{ sku: 'FIFO-X', quantity: 3 }]);
    await waiting('fifo-young', '2026-11-21T10:00:00.000Z', [{ sku: 'FIFO-X', quantity: 1 }]);
    await stock('FIFO-X', 2);
    expect(await resumeBackorders(deps, 'FIFO-X')).toBe(0);
    expect(callbacks.answered.size).toBe(0);
    expect((await ledger.network(['FIFO-X'])).get('FIFO-X')?.reserved).toBe(0);
  });

  it('keeps the reservation when a second waker (for another SKU of the same order) loses the race to answer', async () => {
    const { deps, callbacks, waiting } = setup();
    await stock('RACE-X', 0);
    await stock('RACE-Y', 0);
    await waiting('race-order', '2026-11-20T10:00:00.000Z', [
      { sku: 'RACE-X', quantity: 1 },
      { sku: 'RACE-Y', quantity: 1 },
    ]);
    await stock('RACE-X', 1);
    await stock('RACE-Y', 1);
    // Both SKUs' StockChanged events wake the same order; its workflow has not moved on yet.
    const woken = await Promise.all([resumeBackorders(deps, 'RACE-X'), resumeBackorders(deps, 'RACE-Y')]);
    expect(woken.sort()).toEqual([0, 1]);
    expect([...callbacks.answered]).toEqual(['token-race-order']);
    expect(await ledger.reservationsOf('race-order')).toEqual([
      { sku: 'RACE-X', quantity: 1 },
      { sku: 'RACE-Y', quantity: 1 },
    ]);
  });

  it('gives back what it reserved when the wait it answers was already over', async () => {
    const { deps, callbacks, waiting } = setup();
    await stock('EXPIRED-X', 0);
    await waiting('expired-order', '2026-11-20T10:00:00.000Z', [{ sku: 'EXPIRED-X', quantity: 1 }]);
    callbacks.expired.add('token-expired-order');
    await stock('EXPIRED-X', 1);
    expect(await resumeBackorders(deps, 'EXPIRED-X')).toBe(0);
    expect(await ledger.reservationsOf('expired-order')).toEqual([]);
    expect((await ledger.network(['EXPIRED-X'])).get('EXPIRED-X')?.reserved).toBe(0);
  });

  it('ends a backorder wait filed just after the order was cancelled, so a cancel between its read and its write strands nothing', async () => {
    const { deps, callbacks, orders, backordered } = setup();
    await stock('LATE-X', 0);
    const order = await backordered('late-cancel', '2026-11-20T10:00:00.000Z', [
      { sku: 'LATE-X', quantity: 1 },
    ]);
    // The cancellation commits after RegisterBackorder read the order and before its wait is filed.
    const book: DynamoBackorderBook = Object.create(backorders);
    book.add = async (wait) => {
      await orders.update(transitionOrder(order, 'CANCELLED', at));
      await backorders.add(wait);
    };
    await registerBackorder(
      { ...deps, backorders: book },
      { orderId: 'late-cancel', taskToken: 'token-late-cancel' },
    );
    expect([...callbacks.answered]).toEqual(['token-late-cancel']);
    expect(await backorders.waitingFor('LATE-X')).toEqual([]);
  });
});
