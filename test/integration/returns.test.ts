import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { drift, notificationsFor, stockAt } from '../support/books';
import { postTracking, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

type ReturnView = {
  id: string;
  status: string;
  label?: { carrier: string; trackingNumber: string };
  refund?: { amount: number; fee: number; reference: string };
  replacementOrderId?: string;
  rejection?: { stage: string; reason: string };
  history: Array<{ status: string; tracking?: string }>;
};

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const money = async (id: string) => ((await order(id)).payment as { money: Record<string, number> }).money;
const getReturn = async (id: string) => (await request(api(), 'GET', `/returns/${id}`)).body as ReturnView;
const requestReturn = (orderId: string, body: Record<string, unknown>, key = newKey()) =>
  request(api(), 'POST', `/orders/${orderId}/returns`, { body, headers: { 'idempotency-key': key } });
const receive = (id: string, body: Record<string, unknown>) =>
  request(api(), 'POST', `/returns/${id}/receive`, { body });

/** Waits until the return reaches `status` (its workflow runs in the background). */
const returnIs = (id: string, status: string, timeoutMs = 15_000) =>
  eventually(async () => {
    const rma = await getReturn(id);
    return rma.status === status ? rma : undefined;
  }, timeoutMs);

/** How the return's execution ended, and in which state. */
async function returnExecutionEnd(id: string) {
  const arn = env.aws.returnExecutionArn(id);
  const events = await eventually(async () => {
    const { events = [] } = await env.aws.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 1000 }),
    );
    return events.some((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed')
      ? events
      : undefined;
  }, 15_000);
  return {
    status: events.find((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed')?.type,
    lastState: events.find((e) => e.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name,
  };
}

/**
 * An order of these lines (1000 each) from `location`, packed, shipped and delivered; `deliveredAt`
 * is when the carrier says it arrived (in the past for a closed return window).
 */
async function deliveredOrder(
  location: string,
  lines: Array<{ sku: string; quantity: number }>,
  deliveredAt = new Date().toISOString(),
): Promise<{ orderId: string; shipment: ShipmentView }> {
  for (const line of lines) await stockUp(api(), location, line.sku, 20);
  const orderId = await placeLines(api(), lines);
  const [picking] = await eventually(async () => {
    const items = await shipmentsOf(api(), orderId);
    return items.length === 1 && items[0]?.status === 'PICK_REQUESTED' ? items : undefined;
  }, 15_000);
  expect((await reportPacked(api(), String(picking?.id))).status).toBe(200);
  const shipment = await eventually(async () => {
    const [s] = await shipmentsOf(api(), orderId);
    return s?.status === 'SHIPPED' ? s : undefined;
  }, 15_000);
  const carrier = String(shipment.carrier?.carrier);
  const delivered = await postTracking(api(), carrier, String(shipment.trackingNumber), 'delivered', {
    rawBody: JSON.stringify({
      id: `evt-${newKey()}`,
      trackingNumber: shipment.trackingNumber,
      status: carrier === 'swiftpost' ? 'DELIVERED' : 'delivered',
      occurredAt: deliveredAt,
    }),
  });
  expect(delivered.status).toBe(200);
  await eventually(async () => ((await order(orderId)).status === 'DELIVERED' ? true : undefined), 15_000);
  return { orderId, shipment };
}

const atLocation = async (sku: string, location: string) =>
  (await stockAt(api(), sku)).find((l) => l.locationId === location) as {
    onHand: number;
    reserved: number;
    quarantined?: number;
  };

afterAll(async () => {
  await env.cloud.idle();
  expect(await drift(env.aws)).toEqual([]);
});

describe('returns (RMA) over HTTP', () => {
  it('runs a return to REFUNDED and CLOSED: approved by policy, labelled, in transit on a signed carrier scan (the same post replayed refused), received with resellable units back on hand and damaged ones in quarantine, refunded less the restocking fee, the customer told at each step, and the return rate and reasons counted per SKU', async () => {
    const { orderId } = await deliveredOrder('rt-happy', [{ sku: 'RT-HAPPY', quantity: 3 }]);
    const before = await atLocation('RT-HAPPY', 'rt-happy');

    const opened = await requestReturn(orderId, {
      reason: 'changed_mind',
      note: 'too many',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 2 }],
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      id: `${orderId}-R1`,
      status: 'REQUESTED',
      amount: 2000,
      restockingFeePercent: 10,
    });
    const id = String(opened.body.id);

    const approved = await eventually(async () => {
      const rma = await getReturn(id);
      return rma.label ? rma : undefined;
    }, 15_000);
    expect(approved).toMatchObject({
      status: 'APPROVED',
      approval: { automatic: true },
      locationId: 'rt-happy',
    });
    const label = approved.label as { carrier: string; trackingNumber: string };

    const scan = await postTracking(api(), label.carrier, label.trackingNumber, 'picked_up');
    expect(scan.status).toBe(200);
    await returnIs(id, 'IN_TRANSIT');
    // The same signed post again is a replay, told by the signature the return's history keeps.
    const replay = await fetch(`${api()}/webhooks/carriers/${label.carrier}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'oms-signature': String(scan.signature) },
      body: scan.rawBody,
    });
    expect(replay.status).toBe(401);

    const received = await receive(id, { lines: [{ lineNumber: 1, resellable: 1, damaged: 1 }] });
    expect(received.status).toBe(200);
    expect(received.body.status).toBe('RECEIVED');

    const closed = await returnIs(id, 'CLOSED');
    expect(closed.refund).toMatchObject({ amount: 1800, fee: 200 });
    expect(closed.history.map((h) => h.status)).toEqual([
      'REQUESTED',
      'APPROVED',
      'IN_TRANSIT',
      'RECEIVED',
      'REFUNDED',
      'CLOSED',
    ]);
    expect(await returnExecutionEnd(id)).toEqual({ status: 'ExecutionSucceeded', lastState: 'ReturnClosed' });
    expect(await money(orderId)).toMatchObject({ captured: 3000, refunded: 1800 });
    const after = await atLocation('RT-HAPPY', 'rt-happy');
    expect(after.onHand).toBe(before.onHand + 1);
    expect(after.quarantined).toBe(1);

    await env.cloud.idle();
    const templates = (await notificationsFor(api(), orderId))
      .map((n) => n.template)
      .filter((t) => t.startsWith('return-'));
    expect(templates.sort()).toEqual(
      [
        'return-requested',
        'return-approved',
        'return-label-issued',
        'return-in-transit',
        'return-received',
        'return-refunded',
        'return-closed',
      ].sort(),
    );
    const listed = (await request(api(), 'GET', `/returns?orderId=${orderId}`)).body.items as ReturnView[];
    expect(listed.map((r) => r.id)).toEqual([id]);
    const stats = (await request(api(), 'GET', '/return-stats?limit=100')).body.items as Array<{
      sku: string;
    }>;
    expect(stats.find((s) => s.sku === 'RT-HAPPY')).toEqual({
      sku: 'RT-HAPPY',
      deliveredUnits: 3,
      returnedUnits: 2,
      byReason: { damaged: 0, wrong_item: 0, not_as_described: 0, changed_mind: 2, size_fit: 0, other: 0 },
      returnRate: 0.6667,
    });
  });

  it('waits for ops when the policy does not approve on its own, and a rejected return ends there with nothing refunded or restocked', async () => {
    const { orderId } = await deliveredOrder('rt-reject', [{ sku: 'RT-REJECT', quantity: 1 }]);
    const opened = await requestReturn(orderId, {
      reason: 'other',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 1 }],
    });
    expect(opened.status).toBe(201);
    const id = String(opened.body.id);
    await eventually(async () => ((await getReturn(id)).history.length === 1 ? true : undefined));
    await env.cloud.idle();
    expect((await getReturn(id)).status).toBe('REQUESTED');

    const rejected = await request(api(), 'POST', `/returns/${id}/reject`, { body: { reason: 'used item' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      rejection: { stage: 'approval', reason: 'used item' },
    });
    expect(await returnExecutionEnd(id)).toEqual({
      status: 'ExecutionSucceeded',
      lastState: 'ReturnRejected',
    });
    const again = await request(api(), 'POST', `/returns/${id}/approve`, { body: {} });
    expect(again.status).toBe(409);
    expect(await money(orderId)).toMatchObject({ refunded: 0 });
    // A rejected return gives its units back to the returnable count.
    expect(
      (
        await requestReturn(orderId, {
          reason: 'damaged',
          resolution: 'refund',
          lines: [{ lineNumber: 1, quantity: 1 }],
        })
      ).status,
    ).toBe(201);
  });

  it('rejects a return at inspection: REJECTED with the reason, nothing restocked or refunded', async () => {
    const { orderId } = await deliveredOrder('rt-inspect', [{ sku: 'RT-INSPECT', quantity: 1 }]);
    const before = await atLocation('RT-INSPECT', 'rt-inspect');
    const id = String(
      (
        await requestReturn(orderId, {
          reason: 'damaged',
          resolution: 'refund',
          lines: [{ lineNumber: 1, quantity: 1 }],
        })
      ).body.id,
    );
    await eventually(async () => ((await getReturn(id)).label ? true : undefined), 15_000);
    const reply = await receive(id, { lines: [], reject: 'not the item we sold' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'REJECTED', rejection: { stage: 'inspection' } });
    expect(await returnExecutionEnd(id)).toEqual({
      status: 'ExecutionSucceeded',
      lastState: 'ReturnRejected',
    });
    expect(await atLocation('RT-INSPECT', 'rt-inspect')).toMatchObject({ onHand: before.onHand });
    expect(await money(orderId)).toMatchObject({ refunded: 0 });
  });

  it('exchanges: the received units are sent again (another SKU here) on a replacement order linked to the return, paid by the return, and nothing is refunded', async () => {
    const { orderId } = await deliveredOrder('rt-swap', [{ sku: 'RT-SWAP-M', quantity: 1 }]);
    await stockUp(api(), 'rt-swap', 'RT-SWAP-L', 5);
    const id = String(
      (
        await requestReturn(orderId, {
          reason: 'size_fit',
          resolution: 'exchange',
          lines: [{ lineNumber: 1, quantity: 1, exchangeSku: 'RT-SWAP-L' }],
        })
      ).body.id,
    );
    await eventually(async () => ((await getReturn(id)).label ? true : undefined), 15_000);
    expect((await receive(id, { lines: [{ lineNumber: 1, resellable: 1, damaged: 0 }] })).status).toBe(200);
    const closed = await returnIs(id, 'CLOSED');
    expect(closed.history.map((h) => h.status)).toContain('EXCHANGED');
    const replacement = await order(String(closed.replacementOrderId));
    expect(replacement).toMatchObject({
      exchangeOf: { orderId, returnId: id },
      lines: [expect.objectContaining({ sku: 'RT-SWAP-L', quantity: 1 })],
    });
    await eventually(
      async () =>
        (await order(String(closed.replacementOrderId))).status === 'FULFILLING' ? true : undefined,
      15_000,
    );
    expect(((await order(String(closed.replacementOrderId))).payment as { status: string }).status).toBe(
      'COVERED',
    );
    expect(await money(orderId)).toMatchObject({ refunded: 0 });
    expect(await atLocation('RT-SWAP-M', 'rt-swap')).toMatchObject({ onHand: 20 });
  });

  it('refuses a return outside the return window with a problem+json naming the line and the window, and opens nothing', async () => {
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const { orderId } = await deliveredOrder('rt-late', [{ sku: 'RT-LATE', quantity: 1 }], longAgo);
    const reply = await requestReturn(orderId, {
      reason: 'changed_mind',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 1 }],
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({
      windowDays: 30,
      errors: [{ pointer: '#/lines/0/lineNumber', detail: 'outside the 30-day return window' }],
    });
    expect(String(reply.body.detail)).toContain('return window');
    expect((await request(api(), 'GET', `/returns?orderId=${orderId}`)).body.items).toEqual([]);
  });

  it('refuses to return more units than were delivered and are not already in a return (no over-refund), and a line not delivered yet', async () => {
    const { orderId } = await deliveredOrder('rt-over', [{ sku: 'RT-OVER', quantity: 2 }]);
    expect(
      (
        await requestReturn(orderId, {
          reason: 'damaged',
          resolution: 'refund',
          lines: [{ lineNumber: 1, quantity: 1 }],
        })
      ).status,
    ).toBe(201);
    const twice = await requestReturn(orderId, {
      reason: 'damaged',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 2 }],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([{ pointer: '#/lines/0/quantity', detail: 'at most 1' }]);

    await stockUp(api(), 'rt-over', 'RT-UNSENT', 0);
    const waiting = await placeLines(api(), [{ sku: 'RT-UNSENT', quantity: 1 }]);
    await eventually(
      async () => ((await order(waiting)).status === 'BACKORDERED' ? true : undefined),
      15_000,
    );
    const early = await requestReturn(waiting, {
      reason: 'damaged',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 1 }],
    });
    expect(early.status).toBe(409);
    await request(api(), 'POST', `/orders/${waiting}/cancel`, {
      body: { reason: 'customer_request' },
      headers: { 'idempotency-key': newKey() },
    });
  });

  it('answers the same Idempotency-Key and body with the same return, and the same key with another body with 422', async () => {
    const { orderId } = await deliveredOrder('rt-key', [{ sku: 'RT-KEY', quantity: 2 }]);
    const key = newKey();
    const body = { reason: 'damaged', resolution: 'refund', lines: [{ lineNumber: 1, quantity: 1 }] };
    const first = await requestReturn(orderId, body, key);
    const replay = await requestReturn(orderId, body, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect((await requestReturn(orderId, { ...body, reason: 'other' }, key)).status).toBe(422);
    expect((await request(api(), 'GET', `/returns?orderId=${orderId}`)).body.items).toHaveLength(1);
  });
});
