import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants } from '../../shared/domain/inventory';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const orderOf = (lines: Array<{ sku: string; quantity: number }>) =>
  orderBody({ lines: lines.map((l) => ({ ...l, unitPrice: 1000 })) });

async function place(body: Record<string, unknown>): Promise<string> {
  const reply = await request(api(), 'POST', '/orders', { body, headers: { 'idempotency-key': newKey() } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return String(reply.body.id);
}

/**
 * Places orders with at most 10 requests in flight: one DynamoDB Local on two cores cannot take
 * hundreds at once within the functions' timeout, and the race that matters is in allocation,
 * where the workflows of all these orders run at the same time.
 */
async function placeAll(bodies: Array<Record<string, unknown>>): Promise<string[]> {
  const ids: string[] = new Array(bodies.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < bodies.length) {
        const i = next++;
        ids[i] = await place(bodies[i] as Record<string, unknown>);
      }
    }),
  );
  return ids;
}

async function statuses(ids: string[]): Promise<string[]> {
  return Promise.all(
    ids.map(async (id) => String((await request(api(), 'GET', `/orders/${id}`)).body.status)),
  );
}

async function drift() {
  const ledger = new DynamoInventoryLedger(DynamoDBDocumentClient.from(env.aws.dynamodb), env.aws.tableName);
  const { levels, network, reservations } = await ledger.snapshot();
  return checkInvariants(levels, network, reservations);
}

const count = (values: string[], wanted: string) => values.filter((v) => v === wanted).length;
/** Orders per status: a failure shows where the odd ones stand. */
function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

describe('the Allocate stage', () => {
  // The whole workflow, four orders for every unit at once (the ledger's own test races 200 reservations for 50 units).
  it('allocates exactly 20 of 80 concurrent one-unit orders for 20 units; the rest are backordered', async () => {
    await stockUp(api(), 'cd-1', 'HOT-1', 20);
    const ids = await Promise.all(
      Array.from({ length: 80 }, () => place(orderOf([{ sku: 'HOT-1', quantity: 1 }]))),
    );
    await env.cloud.idle();
    // Every order at its first wait, on a budget a loaded 2-core machine meets; else the tally shows the odd ones.
    const settled = (values: string[]) => values.every((v) => v === 'FULFILLING' || v === 'BACKORDERED');
    const final = await eventually(
      async () => {
        const now = await statuses(ids);
        return settled(now) ? now : undefined;
      },
      60_000,
      500,
    ).catch(async () => statuses(ids));
    expect(tally(final)).toEqual({ FULFILLING: 20, BACKORDERED: 60 });
    const inventory = await request(api(), 'GET', '/inventory/HOT-1');
    expect(inventory.body.network).toEqual({ onHand: 20, reserved: 20, safetyStock: 0, ats: 0 });
    expect(await drift()).toEqual([]);
    const backordered = await request(api(), 'GET', `/orders/${ids[final.indexOf('BACKORDERED')]}`);
    expect(backordered.body.statusReason).toBe('waiting for stock: HOT-1 (1 missing)');
  }, 180_000);

  it('leaves no partial reservation behind with mixed quantities over several SKUs', async () => {
    await stockUp(api(), 'cd-1', 'MIX-A', 20);
    await stockUp(api(), 'cd-1', 'MIX-B', 12);
    const ids = await placeAll(
      Array.from({ length: 40 }, (_, i) =>
        orderOf([
          { sku: 'MIX-A', quantity: 1 + (i % 3) },
          { sku: 'MIX-B', quantity: 1 + (i % 2) },
        ]),
      ),
    );
    await env.cloud.idle();
    const final = await statuses(ids);
    expect(count(final, 'FULFILLING') + count(final, 'BACKORDERED')).toBe(40);
    expect(count(final, 'FULFILLING')).toBeGreaterThan(0);
    expect(await drift()).toEqual([]);
  });

  it('resumes backordered orders in the order they were placed, as far as received stock goes', async () => {
    await request(api(), 'PUT', '/locations/cd-2', {
      body: { name: 'CD 2', type: 'warehouse', address: { country: 'BR', lat: -22.9, lon: -43.2 } },
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await place(orderOf([{ sku: 'LATE-1', quantity: 1 }])));
    await env.cloud.idle();
    expect(await statuses(ids)).toEqual(Array(5).fill('BACKORDERED'));

    const received = await request(api(), 'POST', '/inventory/LATE-1/locations/cd-2/adjustments', {
      body: { delta: 3, reason: 'received' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(received.status).toBe(201);
    await eventually(async () => (count(await statuses(ids), 'FULFILLING') === 3 ? true : undefined), 10_000);
    await env.cloud.idle();
    expect(await statuses(ids)).toEqual([
      'FULFILLING',
      'FULFILLING',
      'FULFILLING',
      'BACKORDERED',
      'BACKORDERED',
    ]);
    const timeline = (await request(api(), 'GET', `/orders/${ids[0]}`)).body.timeline as Array<{
      status: string;
    }>;
    expect(timeline.map((t) => t.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'BACKORDERED',
      'ALLOCATED',
      'ROUTED',
      'FULFILLING',
    ]);
    expect(await drift()).toEqual([]);
  });

  it('cancels an order whose backorder wait times out, with reason out_of_stock: "backorder expired", holding nothing and its authorization voided', async () => {
    const id = await place(orderOf([{ sku: 'NEVER-1', quantity: 2 }]));
    await env.cloud.idle();
    const executionArn = env.aws.executionArn(id);
    const [wait] = env.cloud.stepFunctions.tokens.waiting(executionArn);
    expect(wait?.stateName).toBe('WaitForStock');
    // What the 7-day TimeoutSeconds does when it fires.
    env.cloud.stepFunctions.tokens.fail(String(wait?.token), 'States.Timeout', 'Task timed out');
    await env.cloud.idle();
    const order = await request(api(), 'GET', `/orders/${id}`);
    expect(order.body).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'out_of_stock: backorder expired',
    });
    const { payment, totals } = order.body as {
      payment: {
        movements: Array<{ kind: string; key: string; amount: number }>;
        money: Record<string, number>;
      };
      totals: { grandTotal: number };
    };
    expect(payment.movements).toEqual([
      expect.objectContaining({ kind: 'void', key: `void-${id}`, amount: totals.grandTotal }),
    ]);
    expect(payment.money).toMatchObject({ captured: 0, voided: totals.grandTotal, outstanding: 0 });
    expect((await env.cloud.stepFunctions.describeExecution({ executionArn })).status).toBe('SUCCEEDED');
    expect(await drift()).toEqual([]);
  });
});
