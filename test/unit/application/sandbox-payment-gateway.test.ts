import { describe, expect, it } from 'vitest';
import { SandboxPaymentGateway } from '../../../shared/adapters/payments/sandbox-payment-gateway';

const gateway = new SandboxPaymentGateway();
const request = { orderId: 'o', amount: 100, currency: 'BRL', idempotencyKey: 'authorize-o' };

describe('the sandbox payment gateway', () => {
  it('authorizes tok_visa with the same id for the same idempotency key', async () => {
    const a = await gateway.authorize({ ...request, method: 'card', token: 'tok_visa' });
    const b = await gateway.authorize({ ...request, method: 'card', token: 'tok_visa' });
    expect(a.outcome).toBe('authorized');
    expect(a).toEqual(b);
  });

  it('declines tok_chargeDeclined and unknown tokens', async () => {
    expect(
      await gateway.authorize({ ...request, method: 'card', token: 'tok_chargeDeclined' }),
    ).toMatchObject({ outcome: 'declined', code: 'card_declined' });
    expect(await gateway.authorize({ ...request, method: 'card', token: 'tok_bogus' })).toMatchObject({
      outcome: 'declined',
      code: 'invalid_token',
    });
  });

  it('defers invoice and boleto, and settles pix at once', async () => {
    expect((await gateway.authorize({ ...request, method: 'invoice' })).outcome).toBe('deferred');
    expect((await gateway.authorize({ ...request, method: 'boleto' })).outcome).toBe('deferred');
    expect((await gateway.authorize({ ...request, method: 'pix' })).outcome).toBe('authorized');
  });
});
