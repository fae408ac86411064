import { createHash } from 'node:crypto';
import {
  type AuthorizationRequest,
  type AuthorizationResult,
  type MoneyRequest,
  type MoneyResult,
  type PaymentGateway,
  PaymentGatewayUnavailable,
} from '../../application/ports';

/** Test tokens as payment providers' test modes document them; every other token is unknown. */
const DECLINES: Record<string, { code: string; reason: string }> = {
  tok_chargeDeclined: { code: 'card_declined', reason: 'the card was declined' },
  tok_chargeDeclinedInsufficientFunds: { code: 'insufficient_funds', reason: 'insufficient funds' },
  tok_chargeDeclinedExpiredCard: { code: 'expired_card', reason: 'the card has expired' },
  tok_chargeDeclinedFraudulent: { code: 'fraudulent', reason: 'suspected fraud' },
};
/** Tokens that authorize, and how the authorization behaves afterwards. */
const APPROVALS: Record<string, Behaviour> = {
  tok_visa: 'normal',
  tok_mastercard: 'normal',
  tok_amex: 'normal',
  tok_elo: 'normal',
  tok_paypal: 'normal',
  // Authorizes, but the issuer declines every capture (a card cancelled between order and ship).
  tok_captureFails: 'captureFails',
  // The first capture is declined (funds short), later ones go through (the customer topped up).
  tok_captureFailsOnce: 'captureFailsOnce',
  // Every call's first attempt under a key goes through at the provider but its answer is lost
  // (PaymentGatewayUnavailable); the retry under the same key answers what was done.
  tok_transientFailure: 'transient',
};

type Behaviour = 'normal' | 'captureFails' | 'captureFailsOnce' | 'transient';
type Kind = 'capture' | 'void' | 'refund';

/** One authorization as the provider keeps it. */
export interface SandboxAuthorization {
  authorizationId: string;
  orderId: string;
  currency: string;
  amount: number;
  captured: number;
  refunded: number;
  voided: number;
  behaviour: Behaviour;
  /** Each money call by idempotency key, with the answer it got, so a repeat gets the same one. */
  operations: Record<string, { kind: Kind; amount: number; result: MoneyResult }>;
  /** Optimistic lock: the store writes only over the version read. */
  version: number;
}

/** Where the sandbox keeps its authorizations (a real provider keeps its own). */
export interface SandboxLedgerStore {
  get(authorizationId: string): Promise<SandboxAuthorization | undefined>;
  /** Writes `record` (version `expected + 1`) if the stored one is at `expected` (0: none); false if not. */
  put(record: SandboxAuthorization, expected: number): Promise<boolean>;
}

function reference(prefix: string, idempotencyKey: string): string {
  return `${prefix}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

const refused = (code: string, reason: string): MoneyResult => ({ outcome: 'refused', code, reason });

/** What the provider answers to a new money call, by its rules; the record moves with it. */
function apply(record: SandboxAuthorization, kind: Kind, request: MoneyRequest): MoneyResult {
  if (request.currency !== record.currency)
    return refused(
      'currency_mismatch',
      `the authorization is in ${record.currency}, not ${request.currency}`,
    );
  if (!Number.isInteger(request.amount) || request.amount <= 0)
    return refused('invalid_amount', 'the amount must be a positive whole number of minor units');
  const capturable = record.amount - record.captured - record.voided;
  const firstCapture = !Object.values(record.operations).some((o) => o.kind === 'capture');
  if (
    kind === 'capture' &&
    (record.behaviour === 'captureFails' || (record.behaviour === 'captureFailsOnce' && firstCapture))
  )
    return refused('capture_failed', 'the issuer declined the capture');
  if ((kind === 'capture' || kind === 'void') && request.amount > capturable)
    return refused('amount_too_large', `only ${capturable} of the authorization is left to ${kind}`);
  if (kind === 'refund' && request.amount > record.captured - record.refunded)
    return refused(
      'amount_too_large',
      `only ${record.captured - record.refunded} captured is left to refund`,
    );
  if (kind === 'capture') record.captured += request.amount;
  if (kind === 'void') record.voided += request.amount;
  if (kind === 'refund') record.refunded += request.amount;
  return { outcome: 'done', reference: reference(kind, request.idempotencyKey), amount: request.amount };
}

/**
 * A payment provider in test mode: deterministic outcomes by token, the same id for the same
 * idempotency key, and a ledger per authorization (authorized, captured, voided, refunded) that
 * refuses over-capture, over-refund and a foreign currency, as a provider does. Invoice and
 * boleto are paid later, so their authorization is deferred (nothing to capture); pix settles
 * at once and is then captured like a card.
 */
export class SandboxPaymentGateway implements PaymentGateway {
  constructor(private readonly store: SandboxLedgerStore) {}

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    switch (request.method) {
      case 'invoice':
      case 'boleto':
        return { outcome: 'deferred', reference: reference(request.method, request.idempotencyKey) };
      case 'pix':
        return this.open(request, reference('pix', request.idempotencyKey), 'normal');
      case 'card':
      case 'paypal': {
        const token = request.token ?? '';
        const decline = DECLINES[token];
        if (decline) return { outcome: 'declined', ...decline };
        const behaviour = APPROVALS[token];
        if (behaviour) return this.open(request, reference('auth', request.idempotencyKey), behaviour);
        return { outcome: 'declined', code: 'invalid_token', reason: `unknown payment token ${token}` };
      }
    }
  }

  private async open(
    request: AuthorizationRequest,
    authorizationId: string,
    behaviour: Behaviour,
  ): Promise<AuthorizationResult> {
    const existing = await this.store.get(authorizationId);
    if (!existing) {
      await this.store.put(
        {
          authorizationId,
          orderId: request.orderId,
          currency: request.currency,
          amount: request.amount,
          captured: 0,
          refunded: 0,
          voided: 0,
          behaviour,
          operations: {},
          version: 1,
        },
        0,
      );
      if (behaviour === 'transient') throw new PaymentGatewayUnavailable('sandbox: the answer was lost');
    }
    return { outcome: 'authorized', authorizationId };
  }

  capture(request: MoneyRequest): Promise<MoneyResult> {
    return this.move('capture', request);
  }

  void(request: MoneyRequest): Promise<MoneyResult> {
    return this.move('void', request);
  }

  refund(request: MoneyRequest): Promise<MoneyResult> {
    return this.move('refund', request);
  }

  private async move(kind: Kind, request: MoneyRequest): Promise<MoneyResult> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.store.get(request.authorizationId);
      if (!record) return refused('no_such_authorization', `no authorization ${request.authorizationId}`);
      const earlier = record.operations[request.idempotencyKey];
      if (earlier) {
        if (earlier.kind !== kind || earlier.amount !== request.amount)
          return refused(
            'idempotency_key_reused',
            `key ${request.idempotencyKey} was used for another request`,
          );
        return earlier.result;
      }
      const next = structuredClone(record);
      const result = apply(next, kind, request);
      next.operations[request.idempotencyKey] = { kind, amount: request.amount, result };
      next.version = record.version + 1;
      if (await this.store.put(next, record.version)) {
        if (record.behaviour === 'transient')
          throw new PaymentGatewayUnavailable('sandbox: the answer was lost');
        return result;
      }
      // Another call moved this authorization's money first: decide again on what it left.
      if (attempt >= 5) throw new PaymentGatewayUnavailable('sandbox: the authorization is busy');
    }
  }
}
