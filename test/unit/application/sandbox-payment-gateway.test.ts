import { describe, expect, it } from 'vitest';
import { SandboxPaymentGateway } from '../../../shared/adapters/payments/sandbox-payment-gateway';
import { PaymentGatewayUnavailable } from '../../../shared/application/ports';
import { InMemorySandboxLedger } from '../../support/fakes';

const request = { orderId: 'o', amount: 1000, currency: 'BRL', idempotencyKey: 'authorize-o' };
const newGateway = () => new SandboxPaymentGateway(new InMemorySandboxLedger());

async function authorized(gateway: SandboxPaymentGateway, token = 'tok_visa') {
  const result = await gateway.authorize({ ...request, method: 'card', token });
  if (result.outcome !== 'authorized') throw new Error(`not authorized: ${JSON.stringify(result)}`);
  return result.authorizationId;
}

const money = (authorizationId: string, amount: number, idempotencyKey: string, currency = 'BRL') => ({
  authorizationId,
  amount,
  currency,
  idempotencyKey,
});

describe('the sandbox payment gateway', () => {
  it('authorizes tok_visa with the same id for the same idempotency key', async () => {
    const gateway = newGateway();
    const a = await gateway.authorize({ ...request, method: 'card', token: 'tok_visa' });
    const b = await gateway.authorize({ ...request, method: 'card', token: 'tok_visa' });
    expect(a.outcome).toBe('authorized');
    expect(a).toEqual(b);
  });

  it('declines tok_chargeDeclined and unknown tokens', async () => {
    const gateway = newGateway();
    expect(
      await gateway.authorize({ ...request, method: 'card', token: 'tok_chargeDeclined' }),
    ).toMatchObject({
      outcome: 'declined',
      code: 'card_declined',
    });
    expect(await gateway.authorize({ ...request, method: 'card', token: 'tok_bogus' })).toMatchObject({
      outcome: 'declined',
      code: 'invalid_token',
    });
  });

  it('defers invoice and boleto, and settles pix at once', async () => {
    const gateway = newGateway();
    expect((await gateway.authorize({ ...request, method: 'invoice' })).outcome).toBe('deferred');
    expect((await gateway.authorize({ ...request, method: 'boleto' })).outcome).toBe('deferred');
    expect((await gateway.authorize({ ...request, method: 'pix' })).outcome).toBe('authorized');
  });

  it('captures in parts up to the authorized amount and refuses over-capture', async () => {
    const gateway = newGateway();
    const id = await authorized(gateway);
    expect(await gateway.capture(money(id, 600, 'capture-s1'))).toMatchObject({
      outcome: 'done',
      amount: 600,
    });
    expect(await gateway.capture(money(id, 500, 'capture-s2'))).toMatchObject({
      outcome: 'refused',
      code: 'amount_too_large',
    });
    expect(await gateway.capture(money(id, 400, 'capture-s3'))).toMatchObject({
      outcome: 'done',
      amount: 400,
    });
  });

  it('answers a repeated capture, void or refund under the same key with the same result and moves no more money', async () => {
    const gateway = newGateway();
    const id = await authorized(gateway);
    const first = await gateway.capture(money(id, 700, 'capture-s1'));
    expect(await gateway.capture(money(id, 700, 'capture-s1'))).toEqual(first);
    const voided = await gateway.void(money(id, 300, 'void-o'));
    expect(await gateway.void(money(id, 300, 'void-o'))).toEqual(voided);
    const refund = await gateway.refund(money(id, 200, 'refund-r1'));
    expect(await gateway.refund(money(id, 200, 'refund-r1'))).toEqual(refund);
    // Everything authorized is captured or voided once: nothing is left to capture, 500 to refund.
    expect(await gateway.capture(money(id, 1, 'capture-s2'))).toMatchObject({ code: 'amount_too_large' });
    expect(await gateway.refund(money(id, 500, 'refund-r2'))).toMatchObject({ outcome: 'done' });
    expect(await gateway.refund(money(id, 1, 'refund-r3'))).toMatchObject({ code: 'amount_too_large' });
    // A key reused for another amount is refused, not applied.
    expect(await gateway.capture(money(id, 701, 'capture-s1'))).toMatchObject({
      code: 'idempotency_key_reused',
    });
  });

  it('refuses a refund of more than was captured, a foreign currency, a bad amount and an unknown authorization', async () => {
    const gateway = newGateway();
    const id = await authorized(gateway);
    expect(await gateway.refund(money(id, 1, 'refund-early'))).toMatchObject({ code: 'amount_too_large' });
    expect(await gateway.capture(money(id, 100, 'capture-usd', 'USD'))).toMatchObject({
      code: 'currency_mismatch',
    });
    expect(await gateway.capture(money(id, 0, 'capture-zero'))).toMatchObject({ code: 'invalid_amount' });
    expect(await gateway.capture(money('auth_nope', 100, 'capture-x'))).toMatchObject({
      code: 'no_such_authorization',
    });
  });

  it('authorizes tok_captureFails but refuses every capture of it', async () => {
    const gateway = newGateway();
    const id = await authorized(gateway, 'tok_captureFails');
    expect(await gateway.capture(money(id, 100, 'capture-s1'))).toMatchObject({
      outcome: 'refused',
      code: 'capture_failed',
    });
  });

  it('loses the first answer of every tok_transientFailure call, and the retry under the same key answers what was done, once', async () => {
    const gateway = newGateway();
    const authorize = () => gateway.authorize({ ...request, method: 'card', token: 'tok_transientFailure' });
    await expect(authorize()).rejects.toBeInstanceOf(PaymentGatewayUnavailable);
    const result = await authorize();
    if (result.outcome !== 'authorized') throw new Error('not authorized');
    const id = result.authorizationId;
    await expect(gateway.capture(money(id, 600, 'capture-s1'))).rejects.toBeInstanceOf(
      PaymentGatewayUnavailable,
    );
    expect(await gateway.capture(money(id, 600, 'capture-s1'))).toMatchObject({
      outcome: 'done',
      amount: 600,
    });
    // The lost first attempt did capture: only 400 is left.
    await expect(gateway.capture(money(id, 500, 'capture-s2'))).rejects.toBeInstanceOf(
      PaymentGatewayUnavailable,
    );
    expect(await gateway.capture(money(id, 500, 'capture-s2'))).toMatchObject({ code: 'amount_too_large' });
  });

  it('lets concurrent captures of one authorization never exceed it (a busy answer is retried, as the workflow does)', async () => {
    const gateway = newGateway();
    const id = await authorized(gateway);
    const retried = async (key: string) => {
      for (;;) {
        try {
          return await gateway.capture(money(id, 300, key));
        } catch (error) {
          if (!(error instanceof PaymentGatewayUnavailable)) throw error;
        }
      }
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => retried(`capture-c${i}`)));
    expect(results.filter((r) => r.outcome === 'done')).toHaveLength(3);
    expect(results.filter((r) => r.outcome === 'refused')).toHaveLength(5);
  });
});
