import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants } from '../../shared/domain/inventory';
import { request } from '../support/http';
import { locationBody, stockUp } from '../support/inventory';
import { newKey } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;
const withKey = (key = newKey()) => ({ 'idempotency-key': key });

describe('locations', () => {
  it('creates with 201, replaces with 200, and lists them', async () => {
    const created = await request(api(), 'PUT', '/locations/sp-1', { body: locationBody() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'sp-1', type: 'warehouse', active: true, priority: 10 });
    const replaced = await request(api(), 'PUT', '/locations/sp-1', {
      body: locationBody({ name: 'CD SP (new)' }),
    });
    expect(replaced.status).toBe(200);
    await request(api(), 'PUT', '/locations/rj-store', {
      body: locationBody({ type: 'store', name: 'Loja Rio' }),
    });
    expect((await request(api(), 'GET', '/locations/sp-1')).body.name).toBe('CD SP (new)');
    const list = await request(api(), 'GET', '/locations');
    expect((list.body.items as Array<{ id: string }>).map((l) => l.id)).toEqual(
      expect.arrayContaining(['sp-1', 'rj-store']),
    );
  });

  it('refuses a location without coordinates or with an unknown type', async () => {
    const reply = await request(api(), 'PUT', '/locations/bad', {
      body: locationBody({ type: 'depot', address: { country: 'BR' } }),
    });
    expect(reply.status).toBe(400);
    const pointers = (reply.body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/type', '#/address/lat', '#/address/lon']));
    expect((await request(api(), 'GET', '/locations/bad')).status).toBe(404);
  });
});

describe('stock per SKU and location', () => {
  it('sets a cycle count and shows network totals with ATS', async () => {
    await stockUp(api(), 'sp-2', 'TEE-M', 10, { safetyStock: 2, lowStockThreshold: 3 });
    await stockUp(api(), 'rj-2', 'TEE-M', 5);
    const view = await request(api(), 'GET', '/inventory/TEE-M');
    expect(view.status).toBe(200);
    expect(view.body.network).toEqual({ onHand: 15, reserved: 0, safetyStock: 2, ats: 13 });
    expect(
      (view.body.locations as Array<{ locationId: string; ats: number }>).map((l) => [l.locationId, l.ats]),
    ).toEqual([
      ['rj-2', 5],
      ['sp-2', 8],
    ]);
  });

  it('applies an adjustment once per Idempotency-Key, and refuses the key with another body', async () => {
    await stockUp(api(), 'sp-3', 'MUG-1', 4);
    const key = newKey();
    const first = await request(api(), 'POST', '/inventory/MUG-1/locations/sp-3/adjustments', {
      body: { delta: 6, reason: 'received' },
      headers: withKey(key),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ onHand: 10, ats: 10 });
    const again = await request(api(), 'POST', '/inventory/MUG-1/locations/sp-3/adjustments', {
      body: { delta: 6, reason: 'received' },
      headers: withKey(key),
    });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await request(api(), 'POST', '/inventory/MUG-1/locations/sp-3/adjustments', {
      body: { delta: -1, reason: 'damaged' },
      headers: withKey(key),
    });
    expect(other.status).toBe(422);
    expect(
      ((await request(api(), 'GET', '/inventory/MUG-1')).body.network as { onHand: number }).onHand,
    ).toBe(10);
  });

  it('refuses to take away units that orders hold (409) and changes nothing', async () => {
    await stockUp(api(), 'sp-4', 'CAP-1', 3);
    const ledger = new DynamoInventoryLedger(
      DynamoDBDocumentClient.from(env.aws.dynamodb),
      env.aws.tableName,
    );
    await ledger.reserve('order-held', [{ sku: 'CAP-1', quantity: 2 }]);
    const reply = await request(api(), 'POST', '/inventory/CAP-1/locations/sp-4/adjustments', {
      body: { delta: -2, reason: 'damaged' },
      headers: withKey(),
    });
    expect(reply.status).toBe(409);
    expect((await request(api(), 'GET', '/inventory/CAP-1')).body.network).toEqual({
      onHand: 3,
      reserved: 2,
      safetyStock: 0,
      ats: 1,
    });
    const { levels, network, reservations } = await ledger.snapshot();
    expect(checkInvariants(levels, network, reservations)).toEqual([]);
  });

  it('answers bad input with problem+json naming the field and changes nothing', async () => {
    await stockUp(api(), 'sp-5', 'PEN-1', 7);
    const cases = [
      { path: '/inventory/PEN-1/locations/nowhere', method: 'PUT', body: { onHand: 1 }, status: 404 },
      {
        path: '/inventory/PEN-1/locations/sp-5',
        method: 'PUT',
        body: { onHand: -1 },
        status: 400,
        pointer: '#/onHand',
      },
      {
        path: '/inventory/PEN-1/locations/sp-5/adjustments',
        method: 'POST',
        body: { delta: 1.5, reason: 'received' },
        status: 400,
        pointer: '#/delta',
      },
      {
        path: '/inventory/PEN-1/locations/sp-5/adjustments',
        method: 'POST',
        body: { delta: 2, reason: 'magic' },
        status: 400,
        pointer: '#/reason',
      },
    ];
    for (const c of cases) {
      const reply = await request(api(), c.method, c.path, { body: c.body, headers: withKey() });
      expect(reply.status, c.path).toBe(c.status);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      if (c.pointer)
        expect((reply.body.errors as Array<{ pointer: string }>).map((e) => e.pointer)).toContain(c.pointer);
    }
    expect((await request(api(), 'GET', '/inventory/NO-SUCH-SKU')).status).toBe(404);
    expect(
      ((await request(api(), 'GET', '/inventory/PEN-1')).body.network as { onHand: number }).onHand,
    ).toBe(7);
  });
});

describe('stock alerts and the invariant check', () => {
  it('raises one alert when a location runs low and one when it runs out, readable newest first', async () => {
    await stockUp(api(), 'sp-9', 'ALERT-1', 10, { lowStockThreshold: 4 });
    for (const delta of [-7, -3]) {
      await request(api(), 'POST', '/inventory/ALERT-1/locations/sp-9/adjustments', {
        body: { delta, reason: 'damaged' },
        headers: withKey(),
      });
    }
    await env.cloud.idle();
    const alerts = await request(api(), 'GET', '/alerts?limit=10');
    const mine = (alerts.body.items as Array<{ type: string; subject: { sku: string } }>).filter(
      (a) => a.subject.sku === 'ALERT-1',
    );
    expect(mine.map((a) => a.type)).toEqual(['StockOut', 'StockLow']);
  });

  it('reports a clean stock book, and any drift found in it', async () => {
    const clean = await request(api(), 'GET', '/ops/inventory-check');
    expect(clean.body).toMatchObject({ ok: true, drift: [] });
    // Break the books behind the OMS's back: a network row that disagrees with its locations.
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await env.aws.dynamodb.send(
      new UpdateItemCommand({
        TableName: env.aws.tableName,
        Key: { pk: { S: 'SKU#ALERT-1' }, sk: { S: 'NETWORK' } },
        UpdateExpression: 'ADD onHand :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const broken = await request(api(), 'GET', '/ops/inventory-check');
    expect(broken.body.ok).toBe(false);
    expect(broken.body.drift).toEqual([
      { sku: 'ALERT-1', rule: 'network onHand = sum of locations', expected: 0, actual: 1 },
    ]);
  });
});

describe('GET /inventory', () => {
  it('lists stock rows by SKU, filtered by location or by low stock, across pages', async () => {
    await request(api(), 'PUT', '/locations/lst-a', { body: locationBody() });
    await request(api(), 'PUT', '/locations/lst-b', { body: locationBody() });
    for (const [sku, location, onHand] of [
      ['LST-1', 'lst-a', 10],
      ['LST-2', 'lst-a', 1],
      ['LST-3', 'lst-b', 0],
      ['LST-4', 'lst-b', 9],
    ] as const) {
      await request(api(), 'PUT', `/inventory/${sku}/locations/${location}`, {
        body: { onHand, lowStockThreshold: 2 },
        headers: withKey(),
      });
    }
    const rows = async (query: string) => {
      const found: string[] = [];
      let cursor: string | undefined;
      do {
        const reply = await request(
          api(),
          'GET',
          `/inventory?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status).toBe(200);
        found.push(
          ...(reply.body.items as Array<{ sku: string; locationId: string }>).map(
            (r) => `${r.sku}@${r.locationId}`,
          ),
        );
        cursor = reply.body.nextCursor as string | undefined;
      } while (cursor);
      return found.filter((r) => r.startsWith('LST-'));
    };
    expect(await rows('locationId=lst-b')).toEqual(['LST-3@lst-b', 'LST-4@lst-b']);
    expect(await rows('lowStock=true')).toEqual(['LST-2@lst-a', 'LST-3@lst-b']);
    expect(await rows('lowStock=true&locationId=lst-a')).toEqual(['LST-2@lst-a']);
    expect((await request(api(), 'GET', '/inventory?lowStock=maybe')).status).toBe(400);
  });
});
