import { describe, expect, it } from 'vitest';
import { rewriteOrder } from '../../../shared/application/order-writes';
import type { Order } from '../../../shared/domain/order';
import { InMemoryOrders, storeOrder, testOrder } from '../../support/fakes';

/** A repository that counts its reads. */
class CountingOrders extends InMemoryOrders {
  reads = 0;
  override async get(id: string) {
    this.reads++;
    return super.get(id);
  }
}

const bump = (order: Order) => ({ ...order, version: order.version + 1 });

describe('rewriting an order', () => {
  it('writes from the copy the caller just read or wrote, without reading it again', async () => {
    const orders = new CountingOrders();
    const order = testOrder();
    await storeOrder(orders, order);
    const { written } = await rewriteOrder({ orders }, order.id, bump, undefined, order);
    expect(written).toBe(true);
    expect(orders.reads).toBe(0);
  });

  it('reads again when that copy was stale (another writer got there first), and writes over the fresh one', async () => {
    const orders = new CountingOrders();
    const order = testOrder();
    await storeOrder(orders, order);
    await orders.update({ ...order, version: order.version + 1 });
    const { written, order: stored } = await rewriteOrder({ orders }, order.id, bump, undefined, order);
    expect(written).toBe(true);
    expect(stored.version).toBe(order.version + 2);
    expect(orders.reads).toBe(1);
  });

  it('decides there is nothing to write only on a fresh read, never on the copy', async () => {
    const orders = new CountingOrders();
    const order = testOrder();
    await storeOrder(orders, order);
    // The stored order moved on (a release, say) since the caller's copy was read.
    await orders.update({ ...order, version: order.version + 1, status: 'FULFILLING' });
    const onlyWhenFulfilling = (o: Order) => (o.status === 'FULFILLING' ? bump(o) : undefined);
    const { written } = await rewriteOrder({ orders }, order.id, onlyWhenFulfilling, undefined, order);
    expect(written).toBe(true);
    expect(orders.reads).toBe(1);
  });
});
