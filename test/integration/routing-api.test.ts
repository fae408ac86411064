import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY } from '../../shared/domain/routing';
import { request } from '../support/http';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;
const { version: _version, ...defaults } = DEFAULT_ROUTING_POLICY;

async function place(address: string, lat: number, lon: number, id: string, onHand: number) {
  await request(api(), 'PUT', `/locations/${id}`, {
    body: { name: id, type: 'warehouse', address: { city: address, country: 'BR', lat, lon } },
  });
  await request(api(), 'PUT', `/inventory/ROUTE-1/locations/${id}`, {
    body: { onHand },
    headers: { 'idempotency-key': newKey() },
  });
}

describe('the routing policy', () => {
  it('starts as the product default, and every change is a new version', async () => {
    expect((await request(api(), 'GET', '/routing/policy')).body).toEqual(DEFAULT_ROUTING_POLICY);
    const saved = await request(api(), 'PUT', '/routing/policy', {
      body: { ...defaults, expectedVersion: 1, split: { ...defaults.split, maxShipments: 2 } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, split: { maxShipments: 2 } });
    expect((await request(api(), 'GET', '/routing/policy')).body.version).toBe(2);
    const stale = await request(api(), 'PUT', '/routing/policy', {
      body: { ...defaults, expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
  });

  it('refuses an invalid policy, naming the fields', async () => {
    const reply = await request(api(), 'PUT', '/routing/policy', {
      body: {
        ...defaults,
        expectedVersion: 2,
        weights: { distance: 0, cost: 0, priority: 0 },
        split: { ...defaults.split, maxShipments: 0 },
      },
    });
    expect(reply.status).toBe(400);
    const pointers = (reply.body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/weights', '#/split/maxShipments']));
    expect((await request(api(), 'GET', '/routing/policy')).body.version).toBe(2);
  });
});

describe('routing simulation', () => {
  it('routes hypothetical and stored orders under the current or a draft policy, and changes nothing', async () => {
    await place('Campinas', -22.91, -47.06, 'rt-campinas', 5);
    await place('Rio', -22.9, -43.2, 'rt-rio', 5);
    const lines = [{ sku: 'ROUTE-1', quantity: 2, unitPrice: 1000 }];
    const current = await request(api(), 'POST', '/routing/simulate', {
      body: { orders: [orderBody({ lines })] },
    });
    expect(current.status).toBe(200);
    expect(current.body.policyVersion).toBeTypeOf('number');
    const [decision] = current.body.decisions as Array<{
      chosen: Array<{ locationId: string }>;
      outcome: string;
    }>;
    expect(decision?.outcome).toBe('routed');
    expect(decision?.chosen[0]?.locationId).toBe('rt-campinas');

    const draft = { ...defaults, filters: { ...defaults.filters, excludedLocations: ['rt-campinas'] } };
    const moved = await request(api(), 'POST', '/routing/simulate', {
      body: { policy: draft, orders: [orderBody({ lines })] },
    });
    expect(moved.body.policyVersion).toBe('draft');
    expect(
      (moved.body.decisions as Array<{ chosen: Array<{ locationId: string }> }>)[0]?.chosen[0]?.locationId,
    ).toBe('rt-rio');

    const stored = await request(api(), 'POST', '/orders', {
      body: orderBody({ lines }),
      headers: { 'idempotency-key': newKey() },
    });
    await env.cloud.idle();
    const byId = await request(api(), 'POST', '/routing/simulate', {
      body: { orderIds: [stored.body.id, '01J00000000000000000000000'] },
    });
    expect(
      (byId.body.decisions as Array<{ orderId: string; error?: string }>).map((d) => d.error ?? 'routed'),
    ).toEqual(['routed', 'Order 01J00000000000000000000000 does not exist']);
    // Under the current policy the stored order would stay where it is.
    expect(byId.body.changes).toEqual([
      { orderId: stored.body.id, before: ['rt-campinas'], after: ['rt-campinas'], moved: false },
    ]);
  });

  it('reports which stored orders a changed policy would move, and changes nothing', async () => {
    await place('Campinas', -22.91, -47.06, 'rt-campinas', 5);
    await place('Rio', -22.9, -43.2, 'rt-rio', 5);
    const ids: string[] = [];
    for (const quantity of [1, 1]) {
      const placed = await request(api(), 'POST', '/orders', {
        body: orderBody({ lines: [{ sku: 'ROUTE-1', quantity, unitPrice: 1000 }] }),
        headers: { 'idempotency-key': newKey() },
      });
      ids.push(String(placed.body.id));
    }
    await env.cloud.idle();
    const before = {
      stock: (await request(api(), 'GET', '/inventory/ROUTE-1')).body,
      routing: await Promise.all(
        ids.map(async (id) => (await request(api(), 'GET', `/orders/${id}/routing`)).body),
      ),
      orders: await Promise.all(ids.map(async (id) => (await request(api(), 'GET', `/orders/${id}`)).body)),
    };
    expect(before.orders.map((o) => o.status)).toEqual(['FULFILLING', 'FULFILLING']);

    const draft = { ...defaults, filters: { ...defaults.filters, excludedLocations: ['rt-campinas'] } };
    const simulated = await request(api(), 'POST', '/routing/simulate', {
      body: { policy: draft, orderIds: ids },
    });
    expect(simulated.status).toBe(200);
    expect(simulated.body.changes).toEqual(
      ids.map((orderId) => ({ orderId, before: ['rt-campinas'], after: ['rt-rio'], moved: true })),
    );

    const after = {
      stock: (await request(api(), 'GET', '/inventory/ROUTE-1')).body,
      routing: await Promise.all(
        ids.map(async (id) => (await request(api(), 'GET', `/orders/${id}/routing`)).body),
      ),
      orders: await Promise.all(ids.map(async (id) => (await request(api(), 'GET', `/orders/${id}`)).body)),
    };
    expect(after).toEqual(before);
  });

  it('refuses a request with neither or both of orderIds and orders', async () => {
    expect((await request(api(), 'POST', '/routing/simulate', { body: {} })).status).toBe(400);
    const both = { orderIds: ['01J00000000000000000000000'], orders: [orderBody()] };
    expect((await request(api(), 'POST', '/routing/simulate', { body: both })).status).toBe(400);
  });
});
