import { describe, expect, it } from 'vitest';
import { type Reply, request } from '../support/http';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();

const postRaw = (raw: string, contentType = 'application/json') =>
  request(env.cloud.apiUrl, 'POST', '/orders', {
    raw,
    headers: { 'content-type': contentType, 'idempotency-key': newKey() },
  });
const post = (body: unknown) => postRaw(JSON.stringify(body));

function expectProblem(reply: Reply, status: number, pointers: string[] = []): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    status,
    title: expect.any(String),
    type: expect.stringMatching(/^https:/),
  });
  const named = ((reply.body.errors ?? []) as Array<{ pointer: string }>).map((e) => e.pointer);
  for (const pointer of pointers) expect(named).toContain(pointer);
}

describe('bad input to POST /orders gets problem+json naming the fields and writes nothing', () => {
  it('refuses malformed JSON', async () => {
    expectProblem(await postRaw('{"channel": "web",'), 400, ['#']);
  });

  it('refuses wrong types', async () => {
    const reply = await post(
      orderBody({ channel: 42, lines: [{ sku: 'A', quantity: '2', unitPrice: 10.5 }] }),
    );
    expectProblem(reply, 400, ['#/channel', '#/lines/0/quantity', '#/lines/0/unitPrice']);
  });

  it('refuses an unknown currency', async () => {
    expectProblem(await post(orderBody({ currency: 'XYZ' })), 400, ['#/currency']);
  });

  it('refuses an unknown country', async () => {
    const body = orderBody();
    const address = { ...(body.shippingAddress as object), country: 'ZZ' };
    expectProblem(await post({ ...body, shippingAddress: address }), 400, ['#/shippingAddress/country']);
  });

  it('refuses an order without lines', async () => {
    expectProblem(await post(orderBody({ lines: [] })), 400, ['#/lines']);
  });

  it('refuses quantity 0 and 10,000', async () => {
    const reply = await post(
      orderBody({
        lines: [
          { sku: 'A', quantity: 0, unitPrice: 100 },
          { sku: 'B', quantity: 10_000, unitPrice: 100 },
        ],
      }),
    );
    expectProblem(reply, 400, ['#/lines/0/quantity', '#/lines/1/quantity']);
  });

  it('refuses duplicate SKUs and a card payment without a token', async () => {
    const reply = await post(
      orderBody({
        lines: [
          { sku: 'A', quantity: 1, unitPrice: 100 },
          { sku: 'A', quantity: 2, unitPrice: 100 },
        ],
        payment: { method: 'card' },
      }),
    );
    expectProblem(reply, 400, ['#/lines/1/sku', '#/payment/token']);
  });

  it('refuses unknown fields, naming them', async () => {
    expectProblem(await post(orderBody({ discount: 100 })), 400, ['#']);
  });

  it('refuses a 1 MB body with 413', async () => {
    expectProblem(await postRaw(JSON.stringify({ ...orderBody(), padding: 'x'.repeat(1024 * 1024) })), 413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    expectProblem(await postRaw('channel=web', 'application/x-www-form-urlencoded'), 415);
  });

  it('answers 404 problem+json for an order that does not exist, and 400 for an id that cannot exist', async () => {
    expectProblem(await request(env.cloud.apiUrl, 'GET', '/orders/01J00000000000000000000000'), 404);
    expectProblem(await request(env.cloud.apiUrl, 'GET', '/orders/not-an-id'), 400, ['#/path/id']);
  });

  it('refuses bad list filters and a forged cursor', async () => {
    expectProblem(await request(env.cloud.apiUrl, 'GET', '/orders?status=LOST&limit=1000'), 400, [
      '#/query/status',
      '#/query/limit',
    ]);
    expectProblem(await request(env.cloud.apiUrl, 'GET', '/orders?cursor=bm9wZQ'), 400, ['#/query/cursor']);
  });

  it('wrote nothing and started nothing for any of the above', async () => {
    await env.cloud.idle();
    expect(await env.aws.items()).toEqual([]);
    expect(await env.aws.executions()).toEqual([]);
  });
});
