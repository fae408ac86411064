import { describe, expect, it } from 'vitest';
import { notify } from '../../../shared/application/notify';
import { MessageRejected } from '../../../shared/application/ports';
import { createOrder } from '../../../shared/domain/order';
import { sampleDraft } from '../../support/drafts';
import { fixedClock, InMemoryOrders, InMemoryOutbox, ScriptedMailer } from '../../support/fakes';

async function setup(script: Array<Error | 'sent'> = []) {
  const orders = new InMemoryOrders();
  const order = createOrder(
    sampleDraft({
      customer: { email: 'ana@example.com', name: 'Ana' },
      shippingAddress: { name: 'Ana', line1: 'x', city: 'y', postalCode: '1', country: 'BR' },
      lines: [{ sku: 'A', quantity: 1, unitPrice: 500 }],
    }),
    { id: 'o1', now: '2026-11-22T10:00:00.000Z' },
  );
  await orders.create(order, { key: 'k', requestHash: 'h', result: order, createdAt: order.createdAt });
  const outbox = new InMemoryOutbox();
  const mailer = new ScriptedMailer(script);
  const deps = { orders, outbox, mailer, clock: fixedClock(), operationsAddress: 'ops@example.com' };
  return { deps, outbox, mailer };
}

const confirmed = {
  detailType: 'OrderConfirmed',
  detail: {
    metadata: {
      eventId: 'o1-2',
      orderId: 'o1',
      sequence: 2,
      occurredAt: '2026-11-22T10:00:01.000Z',
      correlationId: 'o1',
    },
    data: {},
  },
};

describe('notify', () => {
  it('files the message, sends it once and records SENT with the message id, even when the event comes twice', async () => {
    const { deps, outbox, mailer } = await setup();
    expect(await notify(deps, confirmed)).toBe(true);
    expect(await notify(deps, confirmed)).toBe(false);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'ana@example.com', reference: 'o1-2:order-confirmed' });
    expect(outbox.entries.get('o1-2:order-confirmed')).toMatchObject({
      delivery: 'SENT',
      messageId: 'msg-1',
      settledAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('records FAILED with the reason when the mail service refuses the message for good, and never sends it again', async () => {
    const { deps, outbox, mailer } = await setup([new MessageRejected('Illegal address')]);
    expect(await notify(deps, confirmed)).toBe(false);
    expect(outbox.entries.get('o1-2:order-confirmed')).toMatchObject({
      delivery: 'FAILED',
      failure: 'Illegal address',
    });
    expect(await notify(deps, confirmed)).toBe(false);
    expect(mailer.sent).toHaveLength(0);
  });

  it('fails on a passing outage, leaving the message PENDING, so the retry of the event sends it', async () => {
    const outage = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const { deps, outbox, mailer } = await setup([outage]);
    await expect(notify(deps, confirmed)).rejects.toThrow('Rate exceeded');
    expect(outbox.entries.get('o1-2:order-confirmed')?.delivery).toBe('PENDING');
    expect(await notify(deps, confirmed)).toBe(true);
    expect(mailer.sent).toHaveLength(1);
    expect(outbox.entries.get('o1-2:order-confirmed')?.delivery).toBe('SENT');
  });
});

describe('notify, two deliveries of one event at once', () => {
  it('sends one message: the second delivery finds the send under way and fails, to be retried', async () => {
    const { deps, outbox, mailer } = await setup();
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const send = deps.mailer.send.bind(deps.mailer);
    deps.mailer.send = async (message) => {
      await slow;
      return send(message);
    };
    const first = notify(deps, confirmed);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(notify(deps, confirmed)).rejects.toThrow('is being sent');
    release();
    expect(await first).toBe(true);
    // EventBridge's retry of the second delivery finds it SENT.
    expect(await notify(deps, confirmed)).toBe(false);
    expect(mailer.sent).toHaveLength(1);
    expect(outbox.entries.get('o1-2:order-confirmed')?.delivery).toBe('SENT');
  });
});
