import { describe, expect, it } from 'vitest';
import { SandboxPaymentGateway } from '../../../shared/adapters/payments/sandbox-payment-gateway';
import { confirmOrder } from '../../../shared/application/confirm-order';
import {
  captureShipment,
  PaymentCaptureFailed,
  PaymentRefundFailed,
  refundReturn,
  voidOutstanding,
} from '../../../shared/application/payments';
import { orderMoney, type PaymentMethod } from '../../../shared/domain/order';
import {
  fixedClock,
  InMemoryOrders,
  InMemorySandboxLedger,
  RecordingPublisher,
  storeOrder,
  testOrder,
} from '../../support/fakes';

async function confirmed(method: PaymentMethod, token?: string) {
  const orders = new InMemoryOrders();
  await storeOrder(
    orders,
    testOrder({
      lines: [
        { sku: 'A', quantity: 2, unitPrice: 500 },
        { sku: 'B', quantity: 1, unitPrice: 2490 },
      ],
      payment: { method, ...(token ? { token } : {}) },
    }),
  );
  const payments = new SandboxPaymentGateway(new InMemorySandboxLedger());
  const deps = { orders, payments, events: new RecordingPublisher(), clock: fixedClock() };
  for (;;) {
    try {
      await confirmOrder(deps, 'o1');
      return deps;
    } catch {
      // tok_transientFailure loses the first answer; the workflow retries the task.
    }
  }
}

const first = { id: 'o1-1', lines: [{ sku: 'A', quantity: 2 }] };
const second = { id: 'o1-2', lines: [{ sku: 'B', quantity: 1 }] };

describe('capturing a shipment as it ships', () => {
  it("captures each shipment of a split order its lines' value, once: the captures sum to the order total, and a repeated ship step captures nothing more", async () => {
    const deps = await confirmed('card', 'tok_visa');
    await captureShipment(deps, 'o1', first);
    await captureShipment(deps, 'o1', first);
    const after = await captureShipment(deps, 'o1', second);
    await captureShipment(deps, 'o1', second);
    expect(after.payment.movements?.map((m) => [m.kind, m.key, m.amount])).toEqual([
      ['capture', 'capture-o1-1', 1000],
      ['capture', 'capture-o1-2', 2490],
    ]);
    expect(orderMoney(after)).toEqual({
      authorized: 3490,
      captured: 3490,
      refunded: 0,
      voided: 0,
      outstanding: 0,
    });
    // The provider moved the same money: nothing is left to capture there either.
    const id = String(after.payment.authorizationId);
    expect(
      await deps.payments.capture({
        authorizationId: id,
        amount: 1,
        currency: 'BRL',
        idempotencyKey: 'capture-x',
      }),
    ).toMatchObject({ code: 'amount_too_large' });
  });

  it('records a capture whose first answer was lost exactly once, after the retry', async () => {
    const deps = await confirmed('card', 'tok_transientFailure');
    await expect(captureShipment(deps, 'o1', first)).rejects.toMatchObject({
      name: 'PaymentGatewayUnavailable',
    });
    const order = await captureShipment(deps, 'o1', first);
    expect(orderMoney(order)).toMatchObject({ captured: 1000, outstanding: 2490 });
  });

  it('refuses, with PaymentCaptureFailed, a shipment whose capture the issuer declines, and records nothing', async () => {
    const deps = await confirmed('card', 'tok_captureFails');
    await expect(captureShipment(deps, 'o1', first)).rejects.toBeInstanceOf(PaymentCaptureFailed);
    expect(orderMoney((await deps.orders.get('o1')) as never)).toMatchObject({
      captured: 0,
      outstanding: 3490,
    });
  });

  it('captures nothing for a deferred payment (an invoice is paid later)', async () => {
    const deps = await confirmed('invoice');
    const order = await captureShipment(deps, 'o1', first);
    expect(order.payment.movements).toBeUndefined();
    expect(orderMoney(order)).toEqual({ authorized: 0, captured: 0, refunded: 0, voided: 0, outstanding: 0 });
  });
});

describe('voiding what a cancelled order still holds', () => {
  it('voids what is still authorized after a partial capture, once: a repeated cancel voids nothing more', async () => {
    const deps = await confirmed('card', 'tok_visa');
    await captureShipment(deps, 'o1', first);
    await voidOutstanding(deps, 'o1');
    const order = await voidOutstanding(deps, 'o1');
    expect(order.payment.movements?.map((m) => [m.kind, m.key, m.amount])).toEqual([
      ['capture', 'capture-o1-1', 1000],
      ['void', 'void-o1', 2490],
    ]);
    expect(orderMoney(order)).toEqual({
      authorized: 3490,
      captured: 1000,
      refunded: 0,
      voided: 2490,
      outstanding: 0,
    });
    // Nothing is left at the provider to capture either.
    await expect(captureShipment(deps, 'o1', second)).resolves.toMatchObject({ version: order.version });
  });

  it('voids nothing when everything was captured, or when the payment was deferred', async () => {
    const paid = await confirmed('card', 'tok_visa');
    await captureShipment(paid, 'o1', first);
    await captureShipment(paid, 'o1', second);
    expect((await voidOutstanding(paid, 'o1')).payment.movements?.map((m) => m.kind)).toEqual([
      'capture',
      'capture',
    ]);
    const invoiced = await confirmed('invoice');
    expect((await voidOutstanding(invoiced, 'o1')).payment.movements).toBeUndefined();
  });
});

describe('refunding a return', () => {
  it('refunds a return once under refund-<returnId>, however often the step runs, and refuses an over-refund (more than was captured and not refunded) with nothing moved', async () => {
    const deps = await confirmed('card', 'tok_visa');
    await captureShipment(deps, 'o1', first);
    await refundReturn(deps, 'o1', { returnId: 'o1-R1', amount: 600 });
    const again = await refundReturn(deps, 'o1', { returnId: 'o1-R1', amount: 600 });
    expect(again.payment.movements?.filter((m) => m.kind === 'refund').map((m) => [m.key, m.amount])).toEqual(
      [['refund-o1-R1', 600]],
    );
    await expect(refundReturn(deps, 'o1', { returnId: 'o1-R2', amount: 401 })).rejects.toBeInstanceOf(
      PaymentRefundFailed,
    );
    const after = await deps.orders.get('o1');
    expect(orderMoney(after as NonNullable<typeof after>)).toMatchObject({ captured: 1000, refunded: 600 });
    const last = await refundReturn(deps, 'o1', { returnId: 'o1-R3', amount: 400 });
    expect(orderMoney(last)).toMatchObject({ captured: 1000, refunded: 1000 });
  });
});
