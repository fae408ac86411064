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
});
