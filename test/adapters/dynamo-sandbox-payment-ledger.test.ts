import { describe, expect, it } from 'vitest';
import { DynamoSandboxPaymentLedger } from '../../shared/adapters/aws/dynamo-sandbox-payment-ledger';
import { SandboxPaymentGateway } from '../../shared/adapters/payments/sandbox-payment-gateway';
import { TABLE, useOmsTable } from '../support/oms-table';

const env = useOmsTable();

describe("the sandbox provider's ledger in DynamoDB", () => {
  it('writes only over the version it read, so two captures racing on one authorization never exceed it', async () => {
    const store = new DynamoSandboxPaymentLedger(env.db, TABLE);
    const gateway = new SandboxPaymentGateway(store);
    const auth = await gateway.authorize({
      orderId: 'o-race',
      amount: 1000,
      currency: 'BRL',
      method: 'card',
      token: 'tok_visa',
      idempotencyKey: 'authorize-o-race',
    });
    if (auth.outcome !== 'authorized') throw new Error('not authorized');
    const record = await store.get(auth.authorizationId);
    if (!record) throw new Error('not stored');
    expect(record).toMatchObject({ amount: 1000, captured: 0, version: 1 });
    expect(await store.put({ ...record, version: 2 }, 0)).toBe(false);
    expect(await store.put({ ...record, version: 2 }, 2)).toBe(false);

    const capture = (i: number) =>
      gateway
        .capture({
          authorizationId: auth.authorizationId,
          amount: 400,
          currency: 'BRL',
          idempotencyKey: `c-${i}`,
        })
        .catch((error: Error) => ({ outcome: error.name }));
    const results = await Promise.all([0, 1, 2, 3].map(capture));
    const stored = await store.get(auth.authorizationId);
    const done = results.filter((r) => r.outcome === 'done').length;
    expect(done).toBeLessThanOrEqual(2);
    expect(stored?.captured).toBe(done * 400);
  });
});
