import { describe, expect, it } from 'vitest';
import { placeOrder } from '../../../shared/application/place-order';
import { ConflictError, UnprocessableError } from '../../../shared/domain/errors';
import type { OrderDraft } from '../../../shared/domain/order';
import { fixedClock, InMemoryOrders, RecordingWorkflow, sequentialIds } from '../../support/fakes';

const draft: OrderDraft = {
  channel: 'amazon',
  externalOrderId: '111-222',
  customer: { email: 'a@example.com', name: 'A' },
  shippingAddress: { name: 'A', line1: 'x', city: 'y', postalCode: '1', country: 'US' },
  lines: [{ sku: 'A', quantity: 1, unitPrice: 999 }],
  currency: 'USD',
  payment: { method: 'card', token: 'tok_visa' },
};

const setup = () => {
  const deps = {
    orders: new InMemoryOrders(),
    workflow: new RecordingWorkflow(),
    clock: fixedClock(),
    ids: sequentialIds(),
  };
  return deps;
};

describe('placeOrder', () => {
  it('stores the order and starts its workflow', async () => {
    const deps = setup();
    const { order, replayed } = await placeOrder(deps, { idempotencyKey: 'k', caller: 'channel-web', draft });
    expect(replayed).toBe(false);
    expect(deps.orders.orders.get(order.id)?.status).toBe('PENDING');
    expect(deps.workflow.started).toEqual([order.id]);
  });

  it('replays the first order for the same key and body, whatever the key order of the body', async () => {
    const deps = setup();
    const first = await placeOrder(deps, { idempotencyKey: 'k', caller: 'channel-web', draft });
    const reordered = Object.fromEntries(Object.entries(draft).reverse()) as unknown as OrderDraft;
    const again = await placeOrder(deps, { idempotencyKey: 'k', caller: 'channel-web', draft: reordered });
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(deps.orders.orders.size).toBe(1);
    // The replay restarts the workflow too: harmless if it runs, healing if the first start was lost.
    expect(deps.workflow.started).toEqual([first.order.id, first.order.id]);
  });

  it('refuses the same key with another body as unprocessable', async () => {
    const deps = setup();
    await placeOrder(deps, { idempotencyKey: 'k', caller: 'channel-web', draft });
    await expect(
      placeOrder(deps, { idempotencyKey: 'k', caller: 'channel-web', draft: { ...draft, currency: 'EUR' } }),
    ).rejects.toBeInstanceOf(UnprocessableError);
  });

  it('refuses an external order id already placed on the channel, naming the existing order', async () => {
    const deps = setup();
    const first = await placeOrder(deps, { idempotencyKey: 'k1', caller: 'channel-web', draft });
    const error = await placeOrder(deps, { idempotencyKey: 'k2', caller: 'channel-web', draft }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toEqual({ existingOrderId: first.order.id });
  });

  it('accepts the same external order id on another channel', async () => {
    const deps = setup();
    await placeOrder(deps, { idempotencyKey: 'k1', caller: 'channel-web', draft });
    await expect(
      placeOrder(deps, { idempotencyKey: 'k2', caller: 'channel-web', draft: { ...draft, channel: 'ebay' } }),
    ).resolves.toMatchObject({
      replayed: false,
    });
  });
});
