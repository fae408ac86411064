import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, ensureTables, startDynamoDbLocal } from '../../infra/local/dynamodb';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { StaleStock } from '../../shared/application/ports';
import { ConflictError } from '../../shared/domain/errors';
import { adjustStock, checkInvariants, countStock } from '../../shared/domain/inventory';

let dynamo: DynamoDbLocal;
let ledger: DynamoInventoryLedger;
const at = '2026-11-22T10:00:00.000Z';

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  await ensureTables(dynamo.client, [
    {
      name: 'Oms',
      keySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      attributes: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      indexes: [],
    },
  ]);
  ledger = new DynamoInventoryLedger(DynamoDBDocumentClient.from(dynamo.client), 'Oms');
});
afterAll(async () => {
  await dynamo?.stop();
});

async function count(sku: string, locationId: string, onHand: number, safetyStock = 0) {
  const before = await ledger.level(sku, locationId);
  await ledger.save(before, countStock(before, { sku, locationId }, { onHand, safetyStock }, at));
}

async function invariantDrift() {
  const { levels, network, reservations } = await ledger.snapshot();
  return checkInvariants(levels, network, reservations);
}

describe('the DynamoDB inventory ledger', () => {
  it('keeps network totals as the sum of location counts', async () => {
    await count('TEE', 'sp-1', 10, 2);
    await count('TEE', 'rj-1', 5);
    await count('TEE', 'sp-1', 12, 2);
    expect((await ledger.network(['TEE'])).get('TEE')).toEqual({
      sku: 'TEE',
      onHand: 17,
      reserved: 0,
      safetyStock: 2,
    });
    expect((await ledger.levels('TEE')).map((l) => [l.locationId, l.onHand, l.version])).toEqual([
      ['rj-1', 5, 1],
      ['sp-1', 12, 2],
    ]);
  });

  it('reserves exactly the stock there is: 50 units, 200 concurrent one-unit orders', async () => {
    await count('HOT', 'sp-1', 50);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.reserve(`order-hot-${i}`, [{ sku: 'HOT', quantity: 1 }])),
    );
    expect(results.filter((r) => r.reserved)).toHaveLength(50);
    const refused = results.filter((r) => !r.reserved);
    expect(refused).toHaveLength(150);
    expect(refused[0]).toEqual({
      reserved: false,
      shortages: [{ sku: 'HOT', requested: 1, available: 0, missing: 1 }],
    });
    expect((await ledger.network(['HOT'])).get('HOT')).toMatchObject({ onHand: 50, reserved: 50 });
    expect(await invariantDrift()).toEqual([]);
  });

  it('reserves all lines of an order or none, with mixed quantities over several SKUs', async () => {
    await count('A', 'sp-1', 30);
    await count('B', 'sp-1', 20);
    const orders = Array.from({ length: 60 }, (_, i) => ({
      id: `order-mix-${i}`,
      lines: [
        { sku: 'A', quantity: 1 + (i % 3) },
        { sku: 'B', quantity: 1 + (i % 2) },
      ],
    }));
    const results = await Promise.all(orders.map((o) => ledger.reserve(o.id, o.lines)));
    for (const [i, order] of orders.entries()) {
      const held = await ledger.reservationsOf(order.id);
      expect(held.length === 0 || held.length === 2, `order ${order.id} holds ${held.length} lines`).toBe(
        true,
      );
      expect(held.length === 2).toBe(results[i]?.reserved);
    }
    expect(results.some((r) => r.reserved)).toBe(true);
    expect(results.some((r) => !r.reserved)).toBe(true);
    const network = await ledger.network(['A', 'B']);
    expect(network.get('A')?.reserved).toBeLessThanOrEqual(30);
    expect(network.get('B')?.reserved).toBeLessThanOrEqual(20);
    expect(await invariantDrift()).toEqual([]);
  });

  it('does not reserve twice when the same order asks again, and releases once', async () => {
    await count('CAP', 'sp-1', 5);
    expect(await ledger.reserve('order-cap', [{ sku: 'CAP', quantity: 2 }])).toEqual({ reserved: true });
    expect(await ledger.reserve('order-cap', [{ sku: 'CAP', quantity: 2 }])).toEqual({ reserved: true });
    expect((await ledger.network(['CAP'])).get('CAP')?.reserved).toBe(2);
    await ledger.release('order-cap');
    await ledger.release('order-cap');
    expect((await ledger.network(['CAP'])).get('CAP')?.reserved).toBe(0);
    expect(await ledger.reservationsOf('order-cap')).toEqual([]);
  });

  it('refuses to take away units that orders hold, and changes nothing', async () => {
    await count('MUG', 'sp-1', 4);
    await ledger.reserve('order-mug', [{ sku: 'MUG', quantity: 3 }]);
    const before = await ledger.level('MUG', 'sp-1');
    if (!before) throw new Error('no stock row');
    await expect(ledger.save(before, adjustStock(before, -2, at))).rejects.toBeInstanceOf(ConflictError);
    expect(await ledger.level('MUG', 'sp-1')).toEqual(before);
    expect((await ledger.network(['MUG'])).get('MUG')).toMatchObject({ onHand: 4, reserved: 3 });
  });

  it('refuses a write based on a stale read', async () => {
    await count('PEN', 'sp-1', 4);
    const stale = await ledger.level('PEN', 'sp-1');
    if (!stale) throw new Error('no stock row');
    await count('PEN', 'sp-1', 6);
    await expect(ledger.save(stale, adjustStock(stale, 1, at))).rejects.toBeInstanceOf(StaleStock);
  });

  it('keeps the invariant under concurrent adjustments and reservations of one SKU', async () => {
    await count('RACE', 'sp-1', 20);
    await count('RACE', 'rj-1', 20);
    const adjust = async (locationId: string, delta: number) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const before = await ledger.level('RACE', locationId);
        if (!before) return;
        try {
          await ledger.save(before, adjustStock(before, delta, at));
          return;
        } catch (error) {
          if (error instanceof ConflictError) return;
          if (!(error instanceof StaleStock)) throw error;
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        ledger.reserve(`order-race-${i}`, [{ sku: 'RACE', quantity: 1 }]),
      ),
      ...Array.from({ length: 20 }, (_, i) => adjust(i % 2 ? 'sp-1' : 'rj-1', i % 3 === 0 ? 2 : -3)),
      ...Array.from({ length: 10 }, (_, i) => ledger.release(`order-race-${i}`)),
    ]);
    expect(await invariantDrift()).toEqual([]);
    const network = (await ledger.network(['RACE'])).get('RACE');
    expect(network?.reserved).toBeLessThanOrEqual(network?.onHand ?? 0);
  });
});
