import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { verifyWebhookSignature } from '../../shared/domain/webhook-signature';
import { WEBHOOK_RETRY } from '../../shared/domain/webhooks';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

// The workflow's backoff (30 s, doubling, for 24 h) compressed to 100 ms between attempts.
const env = useTestCloud({ retryIntervalOverrides: { RetryWebhookStream: 100 } });
const api = () => env.cloud.apiUrl;

interface Received {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  answered: number;
  body: { id: string; type: string; orderId?: string; sequence: number; subscriptionId: string };
}

/** A subscriber on this machine that records every post and answers as told. */
function subscriber() {
  const received: Received[] = [];
  let answer: (n: number) => number = () => 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const answered = answer(received.length + 1);
      received.push({ rawBody, headers: req.headers, answered, body: JSON.parse(rawBody) });
      res.writeHead(answered).end();
    });
  });
  return {
    received,
    answerWith: (fn: (n: number) => number) => {
      answer = fn;
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ORDER_EVENT_TYPES = Object.keys(EVENT_DETAIL_SCHEMAS['oms.orders']);

async function subscribe(url: string, eventTypes: string[] = ORDER_EVENT_TYPES) {
  const created = await request(api(), 'POST', '/webhook-subscriptions', {
    body: { url, eventTypes, description: 'ERP' },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string; status: string };
}

async function deliveredOrder(sku: string, location: string): Promise<string> {
  await stockUp(api(), location, sku, 5);
  const id = await placeLines(api(), [{ sku, quantity: 1 }]);
  const shipment = await eventually(async () => {
    const [s] = await shipmentsOf(api(), id);
    return s?.status === 'PICK_REQUESTED' ? s : undefined;
  }, 20_000);
  expect((await reportPacked(api(), shipment.id)).status).toBe(200);
  const shipped = await eventually(async () => {
    const [s] = await shipmentsOf(api(), id);
    return s?.status === 'SHIPPED' ? (s as ShipmentView) : undefined;
  }, 20_000);
  expect((await postDelivered(api(), shipped)).status).toBe(200);
  await eventually(async () => {
    const order = await request(api(), 'GET', `/orders/${id}`);
    return order.body.status === 'DELIVERED' ? true : undefined;
  }, 20_000);
  return id;
}

/**
 * The order events the OMS itself recorded for the order (its activity log), by id; with `last`,
 * once the log holds it (the log is a projection, a batch window behind the order).
 */
async function orderEventIds(orderId: string, last?: string): Promise<string[]> {
  return eventually(async () => {
    const events = await request(api(), 'GET', `/orders/${orderId}/events`);
    const items = events.body.items as Array<{ eventId: string; type: string }>;
    return !last || items.some((e) => e.type === last) ? items.map((e) => e.eventId) : undefined;
  }, 20_000);
}

const deliveriesOf = async (subscriptionId: string, query = '') =>
  (await request(api(), 'GET', `/webhook-subscriptions/${subscriptionId}/deliveries${query}`)).body as {
    items: Array<{
      id: string;
      eventId: string;
      status: string;
      attempts: Array<{ ok: boolean; trigger: string }>;
    }>;
  };

describe('outbound webhooks', () => {
  const hooks = subscriber();
  beforeAll(() => hooks.start());
  afterAll(() => hooks.stop());

  it('delivers to a subscriber down for its first 3 attempts every order event exactly once, in sequence order, once it is back, each signature valid', async () => {
    const subscription = await subscribe(hooks.url());
    expect(subscription.secret).toMatch(/^whsec_/);
    hooks.answerWith((n) => (n <= 3 ? 503 : 200));

    const orderId = await deliveredOrder('WH-SKU-1', 'wh-loc-1');
    const published = await orderEventIds(orderId, 'OrderDelivered');
    expect(published.length).toBeGreaterThanOrEqual(6);
    const accepted = await eventually(async () => {
      const ok = hooks.received.filter((r) => r.answered === 200 && r.body.orderId === orderId);
      return ok.length >= published.length ? ok : undefined;
    }, 30_000);

    // The first three attempts (of the first event) failed; nothing was sent out of turn meanwhile.
    expect(hooks.received.slice(0, 3).map((r) => r.answered)).toEqual([503, 503, 503]);
    expect(new Set(hooks.received.slice(0, 4).map((r) => r.body.id)).size).toBe(1);
    // Every event the OMS published for the order, once each, in the order's sequence.
    expect(accepted.map((r) => r.body.id).sort()).toEqual([...published].sort());
    const sequences = accepted.map((r) => r.body.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    for (const post of hooks.received) {
      const check = verifyWebhookSignature(
        post.rawBody,
        String(post.headers['oms-signature']),
        [subscription.secret],
        Math.floor(Date.now() / 1000),
      );
      expect(check.valid).toBe(true);
      expect(post.headers['oms-event-id']).toBe(post.body.id);
    }
    // The delivery log: the first event's four attempts, the rest delivered on their first.
    const log = await deliveriesOf(subscription.id);
    const first = log.items.find((d) => d.eventId === hooks.received[0]?.body.id);
    expect(first).toMatchObject({ status: 'DELIVERED' });
    expect(first?.attempts.map((a) => a.ok)).toEqual([false, false, false, true]);
    expect(first?.attempts.map((a) => a.trigger)).toEqual(['event', 'retry', 'retry', 'retry']);
    await request(api(), 'DELETE', `/webhook-subscriptions/${subscription.id}`);
  });

  it('sends a new subscription every event published after its creation answered, though the senders read the list of subscriptions just before', async () => {
    // Senders read the list (without the new subscription) for this order's events.
    await stockUp(api(), 'wh-loc-3', 'WH-SKU-3', 5);
    const before = await placeLines(api(), [{ sku: 'WH-SKU-3', quantity: 1 }]);
    await eventually(async () => ((await orderEventIds(before)).length >= 3 ? true : undefined), 20_000);
    const hooks3 = subscriber();
    await hooks3.start();
    try {
      const subscription = await subscribe(hooks3.url(), ['OrderPlaced']);
      const after = await placeLines(api(), [{ sku: 'WH-SKU-3', quantity: 1 }]);
      const placed = await eventually(
        async () => hooks3.received.find((r) => r.body.orderId === after) ?? undefined,
        20_000,
      );
      expect(placed.body.type).toBe('OrderPlaced');
      expect(hooks3.received.filter((r) => r.body.orderId === before)).toEqual([]);
      await request(api(), 'DELETE', `/webhook-subscriptions/${subscription.id}`);
    } finally {
      await hooks3.stop();
    }
  });

  it('disables a subscription whose subscriber kept failing past its retries, with an alert for ops; enabled again, it sends what waited, in order, and a delivery can be sent again by hand', async () => {
    hooks.received.length = 0;
    hooks.answerWith(() => 500);
    const subscription = await subscribe(hooks.url(), ['OrderPlaced', 'OrderConfirmed']);
    await stockUp(api(), 'wh-loc-2', 'WH-SKU-2', 5);
    const orderId = await placeLines(api(), [{ sku: 'WH-SKU-2', quantity: 1 }]);

    const disabled = await eventually(async () => {
      const view = await request(api(), 'GET', `/webhook-subscriptions/${subscription.id}`);
      return view.body.status === 'DISABLED' ? view.body : undefined;
    }, 30_000);
    // The event's attempt, the workflow's at once, then every retry of its schedule.
    const attempts = WEBHOOK_RETRY.maxRetries + 2;
    expect(disabled.disabledReason).toMatch(
      new RegExp(`OrderPlaced .* failed for 24 h \\(${attempts} attempts\\)`),
    );
    expect(disabled).not.toHaveProperty('secret');
    const failed = await deliveriesOf(subscription.id, '?status=FAILED');
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]?.attempts).toHaveLength(attempts);
    const alerts = await request(api(), 'GET', '/alerts');
    expect(alerts.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'WebhookSubscriptionDisabled',
          subject: expect.objectContaining({ subscriptionId: subscription.id }),
        }),
      ]),
    );
    // While it is disabled nothing is sent, and nothing is lost: OrderConfirmed waits behind.
    const tried = hooks.received.length;
    await eventually(async () => {
      const pending = await deliveriesOf(subscription.id, '?status=PENDING');
      return pending.items.length === 1 ? true : undefined;
    }, 20_000);
    expect(hooks.received.length).toBe(tried);
    expect(
      (
        await request(
          api(),
          'POST',
          `/webhook-subscriptions/${subscription.id}/deliveries/${failed.items[0]?.id}/redeliver`,
        )
      ).status,
    ).toBe(409);

    hooks.answerWith(() => 200);
    const enabled = await request(api(), 'POST', `/webhook-subscriptions/${subscription.id}/enable`);
    expect(enabled.body).toMatchObject({ status: 'ENABLED' });
    expect(enabled.body).not.toHaveProperty('disabledReason');
    const sent = await eventually(async () => {
      const ok = hooks.received.filter((r) => r.answered === 200 && r.body.orderId === orderId);
      return ok.length === 2 ? ok : undefined;
    }, 20_000);
    expect(sent.map((r) => r.body.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
    // The subscriber has its answer a moment before the sender records it.
    const all = await eventually(async () => {
      const list = await deliveriesOf(subscription.id);
      return list.items.every((d) => d.status === 'DELIVERED') ? list : undefined;
    }, 20_000);
    expect(all.items.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);

    // By hand: the same delivery again, signed anew, with a manual attempt in the log.
    const again = await request(
      api(),
      'POST',
      `/webhook-subscriptions/${subscription.id}/deliveries/${all.items[1]?.id}/redeliver`,
    );
    expect(again.status).toBe(200);
    expect(again.body.attempts as unknown[]).toContainEqual(
      expect.objectContaining({ trigger: 'manual', ok: true }),
    );
    expect(hooks.received.at(-1)?.body.id).toBe(all.items[1]?.eventId);
  });

  it('refuses a URL off this machine, an unknown event type and a caller who is not ops with problem+json, and keeps the secret out of every read', async () => {
    const offMachine = await request(api(), 'POST', '/webhook-subscriptions', {
      body: { url: 'https://erp.example.com/hooks', eventTypes: ['OrderPlaced'] },
    });
    expect(offMachine.status).toBe(400);
    expect(offMachine.headers.get('content-type')).toMatch(/problem\+json/);
    expect(offMachine.body.errors).toEqual([expect.objectContaining({ pointer: '#/url' })]);
    const unknownType = await request(api(), 'POST', '/webhook-subscriptions', {
      body: { url: hooks.url(), eventTypes: ['OrderTeleported'] },
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors).toEqual([expect.objectContaining({ pointer: '#/eventTypes/0' })]);
    const channel = await tokenOf(env.cloud, 'channel-web');
    expect(
      (
        await request(api(), 'POST', '/webhook-subscriptions', {
          body: { url: hooks.url(), eventTypes: ['OrderPlaced'] },
          token: channel,
        })
      ).status,
    ).toBe(403);

    const subscription = await subscribe(hooks.url(), ['*']);
    const list = await request(api(), 'GET', '/webhook-subscriptions');
    expect(JSON.stringify(list.body)).not.toContain(subscription.secret);
    expect(list.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: subscription.id })]),
    );
    expect((await request(api(), 'DELETE', `/webhook-subscriptions/${subscription.id}`)).status).toBe(204);
    expect((await request(api(), 'GET', `/webhook-subscriptions/${subscription.id}`)).status).toBe(404);
    expect((await request(api(), 'DELETE', `/webhook-subscriptions/${subscription.id}`)).status).toBe(404);
  });
});
