import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/local-cloud';
import { request } from '../support/http';
import { stockForOrders } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { startTestCloud } from '../support/test-cloud';

let cloud: LocalCloud;
const placed: Array<{ id: string; channel: string; customerId: string }> = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  await stockForOrders(cloud.apiUrl);
  const shapes = [
    { channel: 'web', customerId: 'c-1', token: 'tok_visa' },
    { channel: 'amazon', customerId: 'c-2', token: 'tok_visa' },
    { channel: 'web', customerId: 'c-2', token: 'tok_chargeDeclined' },
  ];
  for (let i = 0; i < 12; i++) {
    const shape = shapes[i % 3] as (typeof shapes)[number];
    const body = orderBody({
      channel: shape.channel,
      customer: { id: shape.customerId, email: 'x@example.com', name: 'X' },
      payment: { method: 'card', token: shape.token },
    });
    const reply = await request(cloud.apiUrl, 'POST', '/orders', {
      body,
      headers: { 'idempotency-key': newKey() },
    });
    placed.push({ id: String(reply.body.id), channel: shape.channel, customerId: shape.customerId });
  }
  await cloud.idle();
});
afterAll(async () => {
  await cloud?.stop();
});

async function listAll(query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const reply = await request(
      cloud.apiUrl,
      'GET',
      `/orders?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(reply.status).toBe(200);
    const items = reply.body.items as Array<{ id: string }>;
    expect(items.length).toBeLessThanOrEqual(limit);
    ids.push(...items.map((o) => o.id));
    cursor = reply.body.nextCursor as string | undefined;
  } while (cursor);
  return ids;
}

const newestFirst = (ids: string[]) => [...ids].sort().reverse();

describe('GET /orders', () => {
  it('lists every order newest first across pages', async () => {
    const ids = await listAll('', 5);
    expect(ids).toEqual(newestFirst(placed.map((p) => p.id)));
  });

  it('filters by channel, by customer and by status, newest first', async () => {
    expect(await listAll('channel=amazon', 2)).toEqual(
      newestFirst(placed.filter((p) => p.channel === 'amazon').map((p) => p.id)),
    );
    expect(await listAll('customerId=c-2', 3)).toEqual(
      newestFirst(placed.filter((p) => p.customerId === 'c-2').map((p) => p.id)),
    );
    const failed = placed.filter((p) => p.channel === 'web' && p.customerId === 'c-2').map((p) => p.id);
    expect(await listAll('status=FAILED', 3)).toEqual(newestFirst(failed));
  });

  it('combines filters', async () => {
    const expected = placed.filter((p) => p.channel === 'web' && p.customerId === 'c-2').map((p) => p.id);
    expect(await listAll('customerId=c-2&channel=web&status=FAILED', 2)).toEqual(newestFirst(expected));
    expect(await listAll('status=FULFILLING&channel=web', 10)).toEqual(
      newestFirst(placed.filter((p) => p.channel === 'web' && p.customerId === 'c-1').map((p) => p.id)),
    );
  });

  it('refuses a cursor from another query', async () => {
    const first = await request(cloud.apiUrl, 'GET', '/orders?channel=web&limit=1');
    const reply = await request(
      cloud.apiUrl,
      'GET',
      `/orders?channel=amazon&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(reply.status).toBe(400);
  });

  it('filters by the days placed, a SKU, the customer email whatever its case, and the channel order id', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const special = await request(cloud.apiUrl, 'POST', '/orders', {
      body: orderBody({
        externalOrderId: 'MKT-777',
        customer: { id: 'c-9', email: 'Mixed.Case@Example.com', name: 'M' },
        lines: [{ sku: 'MUG-01', quantity: 1, unitPrice: 2500 }],
      }),
      headers: { 'idempotency-key': newKey() },
    });
    const id = String(special.body.id);
    const ids = async (query: string) =>
      ((await request(cloud.apiUrl, 'GET', `/orders?${query}`)).body.items as Array<{ id: string }>).map(
        (o) => o.id,
      );
    expect(await ids(`from=${today}&to=${today}&limit=100`)).toContain(id);
    expect(await ids('to=2020-01-01')).toEqual([]);
    expect(await ids('customerEmail=mixed.case@example.com')).toEqual([id]);
    expect(await ids('externalOrderId=MKT-777')).toEqual([id]);
    // Every order has MUG-01 (the default lines) but only this one has it alone: a SKU filter matches all.
    expect((await ids('sku=MUG-01&limit=100')).length).toBe(placed.length + 1);
    expect(await ids('sku=NO-SUCH-SKU')).toEqual([]);
    expect(await ids(`sku=MUG-01&externalOrderId=MKT-777&from=${today}`)).toEqual([id]);
    expect((await request(cloud.apiUrl, 'GET', '/orders?customerEmail=not-an-email')).status).toBe(400);
  });

  it('counts orders per status, of the days placed and of one channel', async () => {
    await cloud.idle();
    const today = new Date().toISOString().slice(0, 10);
    const all = (await request(cloud.apiUrl, 'GET', `/orders/counts?from=${today}&to=${today}`)).body
      .counts as Record<string, number>;
    const listed = (await request(cloud.apiUrl, 'GET', '/orders?limit=100')).body.items as Array<{
      status: string;
      channel: string;
    }>;
    const tally = (items: Array<{ status: string }>) => {
      const counts: Record<string, number> = {};
      for (const o of items) counts[o.status] = (counts[o.status] ?? 0) + 1;
      return counts;
    };
    expect(Object.fromEntries(Object.entries(all).filter(([, n]) => n > 0))).toEqual(tally(listed));
    expect(all.FAILED).toBe(4);
    const amazon = (await request(cloud.apiUrl, 'GET', '/orders/counts?channel=amazon')).body
      .counts as Record<string, number>;
    expect(Object.values(amazon).reduce((a, b) => a + b, 0)).toBe(4);
    const none = (await request(cloud.apiUrl, 'GET', '/orders/counts?to=2020-01-01')).body.counts as Record<
      string,
      number
    >;
    expect(Object.values(none).every((n) => n === 0)).toBe(true);
  });
});
