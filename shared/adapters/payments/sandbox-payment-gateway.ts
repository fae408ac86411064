import { createHash } from 'node:crypto';
import type { AuthorizationRequest, AuthorizationResult, PaymentGateway } from '../../application/ports';

/** Test tokens as payment providers' test modes document them; every other token is unknown. */
const DECLINES: Record<string, { code: string; reason: string }> = {
  tok_chargeDeclined: { code: 'card_declined', reason: 'the card was declined' },
  tok_chargeDeclinedInsufficientFunds: { code: 'insufficient_funds', reason: 'insufficient funds' },
  tok_chargeDeclinedExpiredCard: { code: 'expired_card', reason: 'the card has expired' },
  tok_chargeDeclinedFraudulent: { code: 'fraudulent', reason: 'suspected fraud' },
};
const APPROVALS = new Set(['tok_visa', 'tok_mastercard', 'tok_amex', 'tok_elo', 'tok_paypal']);

function reference(prefix: string, idempotencyKey: string): string {
  return `${prefix}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

/**
 * A payment provider in test mode: deterministic outcomes by token, and the same id for the
 * same idempotency key, so a retried authorization is recognisably the same one.
 * Invoice and boleto are paid later, so their authorization is deferred; pix settles at once.
 */
export class SandboxPaymentGateway implements PaymentGateway {
  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    switch (request.method) {
      case 'invoice':
      case 'boleto':
        return { outcome: 'deferred', reference: reference(request.method, request.idempotencyKey) };
      case 'pix':
        return { outcome: 'authorized', authorizationId: reference('pix', request.idempotencyKey) };
      case 'card':
      case 'paypal': {
        const token = request.token ?? '';
        const decline = DECLINES[token];
        if (decline) return { outcome: 'declined', ...decline };
        if (APPROVALS.has(token)) {
          return { outcome: 'authorized', authorizationId: reference('auth', request.idempotencyKey) };
        }
        return { outcome: 'declined', code: 'invalid_token', reason: `unknown payment token ${token}` };
      }
    }
  }
}
