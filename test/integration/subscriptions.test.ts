import { describe, expect, it } from 'vitest';
import { addInterval } from '../../shared/domain/subscriptions';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

/** Recurring orders: a subscription places an order each interval, tells the customer first, and can be paused, resumed, skipped or cancelled. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;
const DAY = 86_400_000;

function subscriptionBody(overrides: Record<string, unknown> = {}, email = `sub-${newKey()}@example.com`) {
  const { channel, customer, shippingAddress, currency, payment } = orderBody({
    customer: { id: 'cust-sub', email, name: 'Carla Reis' },
  });
  return {
    order: {
      channel,
      customer,
      shippingAddress,
      currency,
      payment,
      lines: [{ sku: 'SUB-COFFEE', quantity: 2, unitPrice: 3990 }],
    },
    interval: { every: 2, unit: 'week' },
    reminderDays: 0,
    ...overrides,
  };
}

const subscribe = (body: unknown, key = newKey()) =>
  request(api(), 'POST', '/subscriptions', { body, headers: { 'idempotency-key': key } });
const sweep = () => env.cloud.eventBus.runScheduled('SubscriptionSweep');
const subscription = async (id: string) => (await request(api(), 'GET', `/subscriptions/${id}`)).body;
const act = (id: string, action: string) => request(api(), 'POST', `/subscriptions/${id}/${action}`);

describe('subscriptions', () => {
  it("places a subscription's order when it is due, once however often the sweep runs, and the next one an interval later", async () => {
    await stockUp(api(), 'sub-cd', 'SUB-COFFEE', 100);
    const created = await subscribe(subscriptionBody());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'ACTIVE', interval: { every: 2, unit: 'week' }, runs: [] });
    expect(JSON.stringify(created.body)).not.toContain('tok_visa');
    const id = String(created.body.id);
    const runAt = String(created.body.nextRunAt);

    sweep();
    sweep();
    const ran = await eventually(async () => {
      const s = await subscription(id);
      return (s.runs as unknown[]).length > 0 ? s : undefined;
    }, 20_000);
    const runs = ran.runs as Array<{ runAt: string; orderId: string }>;
    expect(runs).toEqual([{ runAt, orderId: expect.any(String) }]);
    expect(Date.parse(String(ran.nextRunAt)) - Date.parse(runAt)).toBe(14 * DAY);
    const order = await eventually(async () => {
      const o = await request(api(), 'GET', `/orders/${runs[0]?.orderId}`);
      return o.body.status === 'FULFILLING' ? o.body : undefined;
    }, 20_000);
    expect(order).toMatchObject({
      subscriptionId: id,
      externalOrderId: `SUB-${id}-${runAt.slice(0, 10).replaceAll('-', '')}`,
      lines: [{ sku: 'SUB-COFFEE', quantity: 2, unitPrice: 3990 }],
      payment: { status: 'AUTHORIZED' },
    });
    // Later sweeps find nothing due until the next run: still one order for the run.
    sweep();
    await env.cloud.idle();
    const placed = await request(api(), 'GET', `/orders?externalOrderId=${order.externalOrderId}`);
    expect(placed.body.items).toHaveLength(1);
    expect((await subscription(id)).runs).toHaveLength(1);
  });

  it('tells the customer reminderDays before a run what it will charge, once, and places nothing early', async () => {
    const email = `remind-${newKey()}@example.com`;
    const startAt = new Date(Date.now() + 2 * DAY).toISOString();
    const created = await subscribe(subscriptionBody({ startAt, reminderDays: 3 }, email));
    const id = String(created.body.id);
    sweep();
    const reminded = await eventually(async () => {
      const s = await subscription(id);
      return s.remindedFor ? s : undefined;
    }, 20_000);
    expect(reminded.remindedFor).toBe(startAt);
    expect(reminded.runs).toEqual([]);
    sweep();
    await env.cloud.idle();
    const notices = await eventually(async () => {
      const page = await request(api(), 'GET', '/notifications?limit=100');
      const mine = (page.body.items as Array<{ to: string; template: string; body: string }>).filter(
        (n) => n.to === email,
      );
      return mine.length > 0 ? mine : undefined;
    }, 20_000);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ template: 'subscription-renewal' });
    expect(notices[0]?.body).toContain('BRL 79.80');
    expect(notices[0]?.body).toContain(startAt.slice(0, 10));
  });

  it('skips the next run, runs nothing while paused, resumes at the next due time, cancels, and refuses what its state does not allow', async () => {
    const startAt = new Date(Date.now() + DAY).toISOString();
    const id = String(
      (await subscribe(subscriptionBody({ startAt, interval: { every: 1, unit: 'month' } }))).body.id,
    );
    const skipped = await act(id, 'skip');
    expect(skipped.status).toBe(200);
    expect(skipped.body.runs).toEqual([{ runAt: startAt, skipped: true }]);
    expect(skipped.body.nextRunAt).toBe(addInterval(startAt, { every: 1, unit: 'month' }));

    expect((await act(id, 'pause')).body.status).toBe('PAUSED');
    expect((await act(id, 'pause')).status).toBe(409);
    const resumed = await act(id, 'resume');
    expect(resumed.body).toMatchObject({ status: 'ACTIVE', nextRunAt: skipped.body.nextRunAt });
    const cancelled = await act(id, 'cancel');
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(cancelled.body.nextRunAt).toBeUndefined();
    expect((await act(id, 'resume')).status).toBe(409);
    expect((await act(id, 'delete')).status).toBe(400);

    // A subscription paused when its run falls due places nothing.
    const paused = String((await subscribe(subscriptionBody())).body.id);
    await act(paused, 'pause');
    sweep();
    await env.cloud.idle();
    expect((await subscription(paused)).runs).toEqual([]);
    const listed = await request(api(), 'GET', '/subscriptions?status=PAUSED&customerId=cust-sub');
    expect((listed.body.items as Array<{ id: string }>).map((s) => s.id)).toContain(paused);
  });

  it("refuses a bad subscription naming the field, another channel's, and a reused key with another body; the same request again is the same subscription", async () => {
    const badUnit = await subscribe(subscriptionBody({ interval: { every: 1, unit: 'year' } }));
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.errors).toEqual([expect.objectContaining({ pointer: '#/interval/unit' })]);
    const badLine = await subscribe({
      ...subscriptionBody(),
      order: { ...subscriptionBody().order, lines: [] },
    });
    expect(badLine.body.errors).toEqual([expect.objectContaining({ pointer: '#/order/lines' })]);

    const web = await tokenOf(env.cloud, 'channel-web');
    const foreign = await request(api(), 'POST', '/subscriptions', {
      body: { ...subscriptionBody(), order: { ...subscriptionBody().order, channel: 'b2b' } },
      headers: { 'idempotency-key': newKey() },
      token: web,
    });
    expect(foreign.status).toBe(403);

    const key = newKey();
    const body = subscriptionBody();
    const first = await subscribe(body, key);
    const again = await subscribe(body, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await subscribe({ ...body, reminderDays: 5 }, key);
    expect(other.status).toBe(422);
    const b2b = await request(api(), 'GET', `/subscriptions/${first.body.id}`, {
      token: await tokenOf(env.cloud, 'channel-b2b'),
    });
    expect(b2b.status).toBe(403);
  });
});
