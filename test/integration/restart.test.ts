import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/local-cloud';
import { clientsFor } from '../support/aws-clients';
import { eventually, request } from '../support/http';
import { stockForOrders } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { startTestCloud } from '../support/test-cloud';

const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-restart-'));
let cloud: LocalCloud | undefined;

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stopping and starting the local cloud', () => {
  it('keeps orders and complete execution histories when stopped the moment executions end', async () => {
    cloud = await startTestCloud({ dataDir });
    await stockForOrders(cloud.apiUrl);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await request(cloud.apiUrl, 'POST', '/orders', {
        // Declined payments end their executions at once; fulfilment would keep them waiting.
        body: orderBody({ payment: { method: 'card', token: 'tok_chargeDeclined' } }),
        headers: { 'idempotency-key': newKey() },
      });
      ids.push(String(reply.body.id));
    }
    const before = clientsFor(cloud);
    // Stop as soon as the journal shows them ended: their last journal writes may still be in flight.
    await eventually(
      async () => {
        const ended = (await before.executions()).filter((e) => e.status === 'SUCCEEDED');
        return ended.length === ids.length ? true : undefined;
      },
      10_000,
      5,
    );
    before.destroy();
    await cloud.stop();

    cloud = await startTestCloud({ dataDir });
    expect(cloud.resumedExecutions).toBe(0);
    const after = clientsFor(cloud);
    for (const id of ids) {
      expect((await request(cloud.apiUrl, 'GET', `/orders/${id}`)).body.status).toBe('FAILED');
      const execution = (await after.executions()).find((e) => e.name === id);
      const history = await cloud.stepFunctions.getExecutionHistory({
        executionArn: String(execution?.executionArn),
      });
      const types = history.events.map((e) => e.type);
      expect(types[0]).toBe('ExecutionStarted');
      expect(types.at(-1), types.join(',')).toBe('ExecutionSucceeded');
    }
    after.destroy();
  });
});
