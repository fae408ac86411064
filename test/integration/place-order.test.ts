import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, request } from '../support/http';
import { stockForOrders } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();

beforeAll(() => stockForOrders(env.cloud.apiUrl));

const post = (body: unknown, key?: string) =>
  request(env.cloud.apiUrl, 'POST', '/orders', {
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

/** The first status after PENDING in the order's timeline, once it is there. */
async function statusWithin(id: string, ms: number): Promise<string> {
  return eventually(async () => {
    const reply = await request(env.cloud.apiUrl, 'GET', `/orders/${id}`);
    const timeline = (reply.body.timeline ?? []) as Array<{ status: string }>;
    return timeline[1]?.status;
  }, ms);
}

describe('placing an order through the local cloud', () => {
  it('stores a PENDING order, answers 201 with a Location, and confirms a tok_visa order (latency target in npm run bench)', async () => {
    const placed = await post(orderBody(), newKey());
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('PENDING');
    expect(placed.headers.get('location')).toBe(`/orders/${placed.body.id}`);
    expect(placed.body.totals).toEqual({ itemCount: 3, subtotal: 12480, grandTotal: 12480 });
    expect(placed.body.payment).toEqual({
      method: 'card',
      status: 'PENDING',
      money: { authorized: 0, captured: 0, refunded: 0, voided: 0, outstanding: 0 },
    });

    expect(await statusWithin(String(placed.body.id), 10_000)).toBe('CONFIRMED');
    const order = await request(env.cloud.apiUrl, 'GET', `/orders/${placed.body.id}`);
    expect(order.body.payment).toMatchObject({
      status: 'AUTHORIZED',
      authorizedAmount: 12480,
      money: { authorized: 12480, captured: 0, refunded: 0, voided: 0, outstanding: 12480 },
    });
    const timeline = (order.body.timeline as Array<{ status: string }>).map((t) => t.status);
    expect(timeline.slice(0, 2)).toEqual(['PENDING', 'CONFIRMED']);
  });

  it('fails a tok_chargeDeclined order with the decline reason in its timeline', async () => {
    const placed = await post(
      orderBody({ payment: { method: 'card', token: 'tok_chargeDeclined' } }),
      newKey(),
    );
    expect(await statusWithin(String(placed.body.id), 10_000)).toBe('FAILED');
    const order = await request(env.cloud.apiUrl, 'GET', `/orders/${placed.body.id}`);
    expect(order.body.statusReason).toBe('payment declined: the card was declined');
    expect(order.body.timeline).toMatchObject([
      { status: 'PENDING' },
      { status: 'FAILED', reason: 'payment declined: the card was declined' },
    ]);
  });

  it('confirms boleto and invoice orders with the payment deferred', async () => {
    const placed = await post(orderBody({ payment: { method: 'boleto' } }), newKey());
    expect(await statusWithin(String(placed.body.id), 10_000)).toBe('CONFIRMED');
    const order = await request(env.cloud.apiUrl, 'GET', `/orders/${placed.body.id}`);
    expect((order.body.payment as { status: string }).status).toBe('DEFERRED');
  });

  it('puts OrderPlaced, OrderConfirmed, OrderAllocated and OrderRouted (with its shipments) on the bus in the documented envelope, delivered by the rule to the activity log', async () => {
    const placed = await post(orderBody(), newKey());
    const id = String(placed.body.id);
    const events = await eventually(async () => {
      const reply = await request(env.cloud.apiUrl, 'GET', `/orders/${id}/events`);
      const items = reply.body.items as Array<Record<string, unknown>>;
      return items.length >= 4 ? items : undefined;
    });
    expect(events.slice(0, 4).map((e) => e.type)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
      'OrderAllocated',
      'OrderRouted',
    ]);
    expect(events[1]).toMatchObject({
      source: 'oms.orders',
      eventId: `${id}-2`,
      sequence: 2,
      data: {
        orderId: id,
        status: 'CONFIRMED',
        paymentStatus: 'AUTHORIZED',
        grandTotal: 12480,
        currency: 'BRL',
      },
    });
    expect(events[3]).toMatchObject({
      eventId: `${id}-4`,
      data: {
        status: 'ROUTED',
        policyVersion: 1,
        notShipped: [],
        shipments: [
          {
            id: `${id}-1`,
            locationId: 'cd-sp',
            lines: [
              { sku: 'TSHIRT-RED-M', quantity: 2 },
              { sku: 'MUG-01', quantity: 1 },
            ],
          },
        ],
      },
    });
  });

  it('names the execution after the order and records its history: the Express preparation (publish, confirm, allocate, route) as one state, then the wait for the warehouse', async () => {
    const placed = await post(orderBody(), newKey());
    const id = String(placed.body.id);
    await statusWithin(id, 10_000);
    await env.cloud.idle();
    const execution = (await env.aws.executions()).find((e) => e.name === id);
    expect(execution?.status).toBe('RUNNING');
    const history = await env.cloud.stepFunctions.getExecutionHistory({
      executionArn: String(execution?.executionArn),
    });
    const types = history.events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskSucceeded');
    expect(types.at(-1)).toBe('TaskSubmitted');
    expect(
      history.events
        .filter((e) => e.type === 'TaskStateEntered')
        .map((e) => (e.stateEnteredEventDetails as { name: string }).name),
    ).toEqual(['PrepareOrder', 'RequestPick']);
    const timeline = (
      (await request(env.cloud.apiUrl, 'GET', `/orders/${id}`)).body.timeline as Array<{ status: string }>
    ).map((t) => t.status);
    expect(timeline).toEqual(['PENDING', 'CONFIRMED', 'ALLOCATED', 'ROUTED', 'FULFILLING']);
  });
});

describe('Idempotency-Key on POST /orders', () => {
  it('answers a replay with the same key and body with the same order (as it is now), without a second order', async () => {
    const key = newKey();
    const first = await post(orderBody({ externalOrderId: `EXT-${key}` }), key);
    const again = await post(orderBody({ externalOrderId: `EXT-${key}` }), key);
    expect(again.status).toBe(201);
    const { id, channel, customer, lines, shippingAddress, createdAt } = first.body;
    expect(again.body).toMatchObject({ id, channel, customer, lines, shippingAddress, createdAt });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await env.aws.items(`ORDER#${first.body.id}`)).not.toHaveLength(0);
  });

  it('answers 422 for the same key with a different body', async () => {
    const key = newKey();
    await post(orderBody(), key);
    const other = await post(orderBody({ currency: 'USD' }), key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.body.idempotencyKey).toBe(key);
  });

  it('answers 400 naming the header when the key is missing', async () => {
    const reply = await post(orderBody());
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ pointer: '#/headers/idempotency-key', detail: expect.any(String) }]);
  });

  it('answers 409 naming the existing order when the channel and external id were already used under another key', async () => {
    const body = orderBody({ channel: 'amazon', externalOrderId: `AMZ-${newKey()}` });
    const first = await post(body, newKey());
    const second = await post(body, newKey());
    expect(second.status).toBe(409);
    expect(second.body.existingOrderId).toBe(first.body.id);
    expect(String(second.body.detail)).toContain(String(first.body.id));
  });

  it('creates exactly one order and one execution from 20 parallel POSTs with one key', async () => {
    const key = newKey();
    const body = orderBody({ channel: 'b2b', externalOrderId: `PAR-${key}` });
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));
    // The loser of a race answers 201 (replay) or 409 (first request still in flight), never a second order.
    for (const reply of replies) expect([201, 409]).toContain(reply.status);
    const ids = new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    await env.cloud.idle();
    const orders = await request(env.cloud.apiUrl, 'GET', '/orders?channel=b2b&limit=100');
    expect(
      (orders.body.items as Array<{ externalOrderId: string }>).filter(
        (o) => o.externalOrderId === `PAR-${key}`,
      ),
    ).toHaveLength(1);
    expect((await env.aws.executions()).filter((e) => e.name === id)).toHaveLength(1);
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI document and a readable page of it', async () => {
    const openapi = await request(env.cloud.apiUrl, 'GET', '/openapi.json');
    expect(Object.keys(openapi.body.paths as object)).toContain('/orders/{id}');
    const docs = await request(env.cloud.apiUrl, 'GET', '/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.text).toContain('<code>/orders/{id}</code>');
    expect(docs.text).toContain('PlaceOrderRequest');
  });
});
