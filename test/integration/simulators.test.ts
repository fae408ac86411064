import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../../infra/local/simulators';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants } from '../../shared/domain/inventory';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
let simulators: ReturnType<typeof startSimulators> | undefined;
afterAll(() => simulators?.stop());

describe('the warehouse and carrier simulators', () => {
  it('carry placed orders, split ones included, to DELIVERED by themselves, with stock books exact', async () => {
    simulators = startSimulators(env.cloud, { pickDelayMs: 0, transitDelayMs: 0 });
    const api = env.cloud.apiUrl;
    await stockUp(api, 'sim-a', 'SIM-A', 100);
    await stockUp(api, 'sim-b', 'SIM-B', 100);
    const bodies = [
      ...Array.from({ length: 5 }, () =>
        orderBody({ lines: [{ sku: 'SIM-A', quantity: 1, unitPrice: 1000 }] }),
      ),
      orderBody({
        lines: [
          { sku: 'SIM-A', quantity: 1, unitPrice: 1000 },
          { sku: 'SIM-B', quantity: 2, unitPrice: 1000 },
        ],
      }),
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const reply = await request(api, 'POST', '/orders', { body, headers: { 'idempotency-key': newKey() } });
      ids.push(String(reply.body.id));
    }
    await eventually(async () => {
      const statuses = await Promise.all(
        ids.map(async (id) => (await request(api, 'GET', `/orders/${id}`)).body.status),
      );
      return statuses.every((s) => s === 'DELIVERED') ? true : undefined;
    }, 30_000);
    await simulators.idle();
    await env.cloud.idle();
    const executions = await env.aws.executions();
    expect(ids.map((id) => executions.find((e) => e.name === id)?.status)).toEqual(
      ids.map(() => 'SUCCEEDED'),
    );
    const stock = (await request(api, 'GET', '/inventory/SIM-A')).body.network;
    expect(stock).toMatchObject({ onHand: 94, reserved: 0 });
    const ledger = new DynamoInventoryLedger(
      DynamoDBDocumentClient.from(env.aws.dynamodb),
      env.aws.tableName,
    );
    const { levels, network, reservations } = await ledger.snapshot();
    expect(checkInvariants(levels, network, reservations)).toEqual([]);
  });
});
