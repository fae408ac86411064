import { describe, expect, it } from 'vitest';
import { correlationOf } from '../../../shared/application/fulfilment';
import { createOrder } from '../../../shared/domain/order';
import type { ShipmentRecord } from '../../../shared/domain/shipment';
import { sampleDraft } from '../../support/drafts';
import { InMemoryOrders } from '../../support/fakes';

async function ordersWith(correlationId: string) {
  const orders = new InMemoryOrders();
  const order = createOrder(sampleDraft(), { id: 'o1', now: '2026-12-07T10:00:00.000Z', correlationId });
  await orders.create(order, { key: 'k', requestHash: 'h', result: order, createdAt: order.createdAt });
  return orders;
}

const shipment = (fields: Partial<ShipmentRecord> = {}) =>
  ({ id: 'o1-1', orderId: 'o1', ...fields }) as ShipmentRecord;

describe("a shipment's correlation id", () => {
  it('comes from the shipment itself, without reading its order, once the shipment keeps it', async () => {
    const orders = await ordersWith('subscription-run-7');
    orders.orders.clear(); // a read would now fail
    await expect(correlationOf({ orders }, shipment({ correlationId: 'subscription-run-7' }))).resolves.toBe(
      'subscription-run-7',
    );
  });

  it("is read from its order for a shipment recorded before shipments kept it, not taken to be the order's id", async () => {
    const orders = await ordersWith('subscription-run-7');
    await expect(correlationOf({ orders }, shipment())).resolves.toBe('subscription-run-7');
  });
});
