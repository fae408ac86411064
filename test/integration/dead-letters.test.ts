import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { request } from '../support/http';
import { stockForOrders } from '../support/inventory';
import { placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

interface Letter {
  id: string;
  stage: string;
  target?: string;
  attempts?: number;
  error: { type?: string; message: string };
  payload: { 'detail-type'?: string; detail?: { metadata?: { orderId?: string } } };
}
interface QueueView {
  queue: string;
  approximateCount: number;
  letters: Letter[];
}

async function queue(name: string): Promise<QueueView> {
  const reply = await request(api(), 'GET', `/dead-letters?queue=${name}`);
  expect(reply.status, reply.text).toBe(200);
  return (reply.body.queues as QueueView[])[0] as QueueView;
}

/** Puts an event on the bus as any producer would, whatever its detail. */
async function putEvent(source: string, detailType: string, detail: unknown): Promise<void> {
  await env.aws.events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: env.aws.busName,
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
}

/** A queue's letters that carry this detail. */
const lettersOf = (detail: unknown) => (view: QueueView) =>
  view.letters.filter((l) => JSON.stringify(l.payload.detail) === JSON.stringify(detail));

describe('dead letters in the local cloud', () => {
  it("lands a notification the mail service refused on every attempt in its function's dead-letter queue, lists it for ops, and sends it exactly once on redrive", async () => {
    await stockForOrders(api());
    env.cloud.email.setOutage(true);
    let id: string;
    try {
      id = await placeLines(api(), [{ sku: 'MUG-01', quantity: 1 }]);
      await env.cloud.idle();
    } finally {
      env.cloud.email.setOutage(false);
    }
    const confirmation = () =>
      env.cloud.email.sent().filter((m) => m.to.includes('ana@example.com') && /confirmed/i.test(m.subject));
    expect(confirmation()).toEqual([]);

    const held = await queue('SendNotification');
    const letter = held.letters.find((l) => l.payload.detail?.metadata?.orderId === id);
    expect(letter).toMatchObject({
      stage: 'function',
      target: expect.stringMatching(/:function:SendNotification/),
      attempts: 3,
      error: { type: 'ServiceUnavailable' },
      payload: { 'detail-type': 'OrderConfirmed' },
    });
    expect(held.approximateCount).toBeGreaterThanOrEqual(1);

    const redrive = await request(api(), 'POST', '/dead-letters/SendNotification/redrive', { body: {} });
    expect(redrive.status, redrive.text).toBe(200);
    expect(redrive.body).toMatchObject({ queue: 'SendNotification', failed: [] });
    expect(redrive.body.redriven).toBeGreaterThanOrEqual(1);
    await env.cloud.idle();
    expect(confirmation().filter((m) => m.text.includes(id))).toHaveLength(1);
    expect((await queue('SendNotification')).letters.filter((l) => l.id === letter?.id)).toEqual([]);
  });

  it('keeps an event its function cannot read: listed with the reason, and on redrive it fails again and comes back as a new letter, never lost', async () => {
    const malformed = { metadata: { eventId: 'evt-malformed-1' }, data: { sku: 'X' } };
    await putEvent('oms.inventory', 'StockLow', malformed);
    await env.cloud.idle();
    const ofThisEvent = lettersOf(malformed);
    const [first, ...others] = ofThisEvent(await queue('RecordStockAlert'));
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      stage: 'function',
      attempts: 3,
      error: { type: 'ValidationError', message: expect.stringMatching(/Malformed StockLow event/) },
    });

    const redrive = await request(api(), 'POST', '/dead-letters/RecordStockAlert/redrive', {
      body: { max: 5 },
    });
    expect(redrive.status, redrive.text).toBe(200);
    await env.cloud.idle();
    const [again, ...more] = ofThisEvent(await queue('RecordStockAlert'));
    expect(more).toEqual([]);
    expect(again?.id).not.toBe(first?.id);
    expect(again).toMatchObject({ attempts: 3, error: { type: 'ValidationError' } });
  });

  it("dead-letters an event a batched projection's function cannot read after 5 batches failed it, the rest of its batch counted, and a redrive sends it back to the projection's queue", async () => {
    const malformed = { metadata: { eventId: 'evt-malformed-kpi' }, data: { channel: 'web' } };
    await env.cloud.idle();
    const placedBefore = ((await request(api(), 'GET', '/kpis')).body.totals as { placed: number }).placed;
    await putEvent('oms.orders', 'OrderConfirmed', malformed);
    await stockForOrders(api());
    const id = await placeLines(api(), [{ sku: 'MUG-01', quantity: 1 }]);
    await env.cloud.idle();
    const ofThisEvent = lettersOf(malformed);
    const [first, ...others] = ofThisEvent(await queue('ProjectKpis'));
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      stage: 'function',
      target: expect.stringMatching(/ProjectKpisBatchesQueue/),
      error: { message: expect.stringMatching(/failed it in every batch/) },
      payload: { 'detail-type': 'OrderConfirmed' },
    });
    // The order placed beside it was counted, once.
    const placed = async () =>
      ((await request(api(), 'GET', '/kpis')).body.totals as { placed: number }).placed;
    expect(await placed()).toBe(placedBefore + 1);
    expect((await request(api(), 'GET', `/orders/${id}`)).status).toBe(200);

    const redrive = await request(api(), 'POST', '/dead-letters/ProjectKpis/redrive', { body: {} });
    expect(redrive.status, redrive.text).toBe(200);
    expect(redrive.body).toMatchObject({ queue: 'ProjectKpis', redriven: 1, failed: [] });
    await env.cloud.idle();
    // Still unreadable: back in the dead-letter queue after its 5 batches, never lost.
    expect(ofThisEvent(await queue('ProjectKpis'))).toHaveLength(1);
  });

  it('lists every queue when none is named, answers 404 problem+json for an unknown queue, 400 with the field at fault for a bad max, and refuses a channel', async () => {
    const all = await request(api(), 'GET', '/dead-letters');
    expect(all.status).toBe(200);
    expect((all.body.queues as QueueView[]).map((q) => q.queue).sort()).toEqual([
      'DeliverWebhooks',
      'ProjectKpis',
      'RecordOrderActivity',
      'RecordOrderAlert',
      'RecordShipmentAlert',
      'RecordStockAlert',
      'RestartPendingOrders',
      'ResumeBackorders',
      'SendNotification',
      'SweepSubscriptions',
    ]);

    const unknown = await request(api(), 'POST', '/dead-letters/NoSuchFunction/redrive', { body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const bad = await request(api(), 'POST', '/dead-letters/SendNotification/redrive', { body: { max: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '#/max' })]);

    const channel = await request(api(), 'GET', '/dead-letters', {
      token: await tokenOf(env.cloud, 'channel-web'),
    });
    expect(channel.status).toBe(403);
  });
});
