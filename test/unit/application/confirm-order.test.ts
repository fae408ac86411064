import { describe, expect, it } from 'vitest';
import { SandboxPaymentGateway } from '../../../shared/adapters/payments/sandbox-payment-gateway';
import { confirmOrder } from '../../../shared/application/confirm-order';
import { NotFoundError } from '../../../shared/domain/errors';
import type { PaymentMethod } from '../../../shared/domain/order';
import {
  fixedClock,
  InMemoryOrders,
  InMemorySandboxLedger,
  RecordingPublisher,
  storeOrder,
  testOrder,
} from '../../support/fakes';

async function setup(method: PaymentMethod, token?: string) {
  const orders = new InMemoryOrders();
  await storeOrder(orders, testOrder({ payment: { method, ...(token ? { token } : {}) } }));
  const deps = {
    orders,
    payments: new SandboxPaymentGateway(new InMemorySandboxLedger()),
    events: new RecordingPublisher(),
    clock: fixedClock(),
  };
  return deps;
}

describe('confirmOrder', () => {
  it('confirms a card order whose payment authorizes, and publishes OrderConfirmed', async () => {
    const deps = await setup('card', 'tok_visa');
    expect(await confirmOrder(deps, 'o1')).toEqual({
      orderId: 'o1',
      status: 'CONFIRMED',
      paymentStatus: 'AUTHORIZED',
    });
    const stored = await deps.orders.get('o1');
    expect(stored?.payment.authorizationId).toMatch(/^auth_/);
    expect(deps.events.events.map((e) => e.detailType)).toEqual(['OrderConfirmed']);
  });

  it('fails an order whose card is declined, with the reason, and publishes OrderFailed', async () => {
    const deps = await setup('card', 'tok_chargeDeclinedInsufficientFunds');
    expect((await confirmOrder(deps, 'o1')).status).toBe('FAILED');
    const stored = await deps.orders.get('o1');
    expect(stored?.statusReason).toBe('payment declined: insufficient funds');
    expect(stored?.payment).toMatchObject({ status: 'DECLINED', declineCode: 'insufficient_funds' });
    expect(deps.events.events.map((e) => e.detailType)).toEqual(['OrderFailed']);
  });

  it('confirms invoice and boleto orders with the payment deferred', async () => {
    for (const method of ['invoice', 'boleto'] as const) {
      const deps = await setup(method);
      expect(await confirmOrder(deps, 'o1')).toMatchObject({
        status: 'CONFIRMED',
        paymentStatus: 'DEFERRED',
      });
    }
  });

  it('does not authorize twice when retried, and re-publishes the same event', async () => {
    const deps = await setup('card', 'tok_visa');
    deps.events.failNext = true;
    await expect(confirmOrder(deps, 'o1')).rejects.toThrow('bus unavailable');
    const afterFirst = await deps.orders.get('o1');
    await confirmOrder(deps, 'o1');
    expect((await deps.orders.get('o1'))?.version).toBe(afterFirst?.version);
    expect(deps.events.events.map((e) => e.detail.metadata.eventId)).toEqual(['o1-2']);
  });

  it('throws NotFoundError for an unknown order', async () => {
    const deps = await setup('card', 'tok_visa');
    await expect(confirmOrder(deps, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
