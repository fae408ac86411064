import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoShipmentRepository } from '../../shared/adapters/aws/dynamo-shipment-repository';
import { applyTracking } from '../../shared/domain/shipment';
import { activityTypes, drift, notificationsFor } from '../support/books';
import {
  postDelivered,
  postTracking,
  reportPacked,
  type ShipmentView,
  shipmentsOf,
} from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody, placeLines } from '../support/orders';
import { redeliverOrderEvent } from '../support/redeliver';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const shipments = (id: string) => shipmentsOf(api(), id);
const statusOf = async (id: string) => String((await order(id)).status);

const place = (lines: Array<{ sku: string; quantity: number }>) => placeLines(api(), lines);

/** Waits until every shipment of the order is waiting for its warehouse. */
async function pickRequested(id: string, count = 1): Promise<ShipmentView[]> {
  return eventually(async () => {
    const items = await shipments(id);
    return items.length === count && items.every((s) => s.status === 'PICK_REQUESTED') ? items : undefined;
  }, 15_000);
}

async function shipped(id: string, shipmentId: string): Promise<ShipmentView> {
  return eventually(async () => {
    const s = (await shipments(id)).find((x) => x.id === shipmentId);
    return s?.status === 'SHIPPED' ? s : undefined;
  }, 15_000);
}

/** The warehouse rejects a shipment's pick (damaged stock). */
const rejectPick = (shipmentId: string) =>
  request(api(), 'POST', `/shipments/${shipmentId}/events`, {
    body: { type: 'rejected', reason: 'damaged stock' },
  });

/** Waits until the order's re-routed shipment (its second) waits for its warehouse. */
const reroutedShipment = (id: string): Promise<ShipmentView> =>
  eventually(async () => {
    const next = (await shipments(id)).find((s) => s.id === `${id}-2`);
    return next?.status === 'PICK_REQUESTED' ? next : undefined;
  }, 10_000);

/** Units of a SKU held at each location, as [locationId, reserved]. */
async function reservedByLocation(sku: string): Promise<Array<[string, number]>> {
  const levels = (await request(api(), 'GET', `/inventory/${sku}`)).body.locations as Array<{
    locationId: string;
    reserved: number;
  }>;
  return levels.map((l) => [l.locationId, l.reserved]);
}

beforeAll(async () => {
  await stockUp(api(), 'ff-sp', 'FF-ONE', 100);
});

describe('fulfilment over HTTP', () => {
  it('takes an order from placement to DELIVERED: packed, shipped with a label, tracked to the door', async () => {
    const id = await place([{ sku: 'FF-ONE', quantity: 2 }]);
    const [requested] = await pickRequested(id);
    await eventually(async () => ((await statusOf(id)) === 'FULFILLING' ? true : undefined), 10_000);

    expect((await reportPacked(api(), String(requested?.id))).status).toBe(200);
    const label = await shipped(id, String(requested?.id));
    expect(label.trackingNumber).toMatch(/^(SW|RX)[0-9A-F]{12}$/);
    expect(label.carrier?.amount).toBeGreaterThan(0);
    await eventually(async () => ((await statusOf(id)) === 'SHIPPED' ? true : undefined), 10_000);
    const level = (await request(api(), 'GET', '/inventory/FF-ONE')).body.locations as Array<{
      onHand: number;
      reserved: number;
    }>;
    expect(level[0]).toMatchObject({ onHand: 98, reserved: 0 });

    const carrier = String(label.carrier?.carrier);
    for (const status of ['in_transit', 'out_for_delivery', 'delivered'] as const) {
      const posted = await postTracking(api(), carrier, String(label.trackingNumber), status);
      expect(posted.status).toBe(200);
    }
    await eventually(async () => ((await statusOf(id)) === 'DELIVERED' ? true : undefined), 10_000);
    await env.cloud.idle();

    const timeline = ((await order(id)).timeline as Array<{ status: string }>).map((t) => t.status);
    expect(timeline).toEqual([
      'PENDING',
      'CONFIRMED',
      'ALLOCATED',
      'ROUTED',
      'FULFILLING',
      'SHIPPED',
      'DELIVERED',
    ]);
    const [done] = await shipments(id);
    expect(done?.history.map((h) => h.tracking ?? null)).toEqual([
      null,
      null,
      'label_created',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    const execution = (await env.aws.executions()).find((e) => e.name === id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(await activityTypes(api(), id)).toEqual(
      expect.arrayContaining(['OrderRouted', 'OrderFulfilling', 'OrderShipped', 'OrderDelivered']),
    );
    expect(await drift(env.aws)).toEqual([]);

    const sent = await notificationsFor(api(), id);
    expect(sent.map((n) => n.template).sort()).toEqual(
      ['order-confirmed', 'shipment-delivered', 'shipment-out_for_delivery', 'shipment-shipped'].sort(),
    );
    const confirmation = sent.find((n) => n.template === 'order-confirmed');
    expect(confirmation).toMatchObject({ audience: 'customer', to: 'ana@example.com' });
    expect(confirmation?.body).toMatch(/Estimated delivery: between \d{4}-\d{2}-\d{2} and \d{4}-\d{2}-\d{2}/);
    expect(sent.find((n) => n.template === 'shipment-shipped')?.body).toContain(String(label.trackingNumber));
    // Each went out through SES (the local one here), and the outbox holds SES's message id.
    const mailed = env.cloud.email.sent();
    for (const notification of sent) {
      expect(notification).toMatchObject({ delivery: 'SENT', messageId: expect.any(String) });
      const mail = mailed.filter((m) => m.messageId === notification.messageId);
      expect(mail).toEqual([
        expect.objectContaining({
          to: [notification.to],
          subject: expect.any(String),
          text: notification.body,
        }),
      ]);
    }

    // The bus delivers an event twice: the customer still gets one message.
    const confirmedId = await redeliverOrderEvent(env, id, 'OrderConfirmed');
    await env.cloud.idle();
    expect((await notificationsFor(api(), id)).filter((n) => n.template === 'order-confirmed')).toHaveLength(
      1,
    );
    expect(env.cloud.email.sent().filter((m) => m.tags.notification?.startsWith(confirmedId))).toHaveLength(
      1,
    );
  });

  it('delivers a split order only when both of its shipments are delivered, each captured as it shipped: the captures sum to the order total', async () => {
    await stockUp(api(), 'ff-a', 'FF-SPLIT-A', 5);
    await stockUp(api(), 'ff-b', 'FF-SPLIT-B', 5);
    const id = await place([
      { sku: 'FF-SPLIT-A', quantity: 1 },
      { sku: 'FF-SPLIT-B', quantity: 1 },
    ]);
    const both = await pickRequested(id, 2);
    const labels: ShipmentView[] = [];
    for (const s of both) {
      await reportPacked(api(), s.id);
      labels.push(await shipped(id, s.id));
    }
    const [first, second] = labels as [ShipmentView, ShipmentView];
    const { payment, totals } = (await request(api(), 'GET', `/orders/${id}`)).body as {
      payment: {
        movements: Array<{ kind: string; key: string; amount: number }>;
        money: Record<string, number>;
      };
      totals: { grandTotal: number };
    };
    expect(payment.movements.map((m) => [m.kind, m.key]).sort()).toEqual(
      both.map((s) => ['capture', `capture-${s.id}`]).sort(),
    );
    expect(payment.money).toEqual({
      authorized: totals.grandTotal,
      captured: totals.grandTotal,
      refunded: 0,
      voided: 0,
      outstanding: 0,
    });
    await postDelivered(api(), first);
    await env.cloud.idle();
    expect(await statusOf(id)).toBe('SHIPPED');
    await postDelivered(api(), second);
    await eventually(async () => ((await statusOf(id)) === 'DELIVERED' ? true : undefined), 10_000);
    expect(await drift(env.aws)).toEqual([]);
  });
});

const alerts = async () =>
  (await request(api(), 'GET', '/alerts?limit=100')).body.items as Array<{
    type: string;
    subject: Record<string, unknown>;
    message: string;
  }>;

describe('warehouse trouble', () => {
  it('raises ShipmentSlaBreached and an alert when the warehouse does not answer within the SLA, and keeps waiting for it', async () => {
    const id = await place([{ sku: 'FF-ONE', quantity: 1 }]);
    const [requested] = await pickRequested(id);
    await env.cloud.idle();
    const executionArn = env.aws.executionArn(id);
    const [wait] = env.cloud.stepFunctions.tokens.waiting(executionArn);
    expect(wait?.stateName).toBe('RequestPick');
    // What the 48-hour TimeoutSeconds does when it fires.
    env.cloud.stepFunctions.tokens.fail(String(wait?.token), 'States.Timeout', 'Task timed out');
    await env.cloud.idle();
    expect(await alerts()).toContainEqual(
      expect.objectContaining({
        type: 'ShipmentSlaBreached',
        subject: expect.objectContaining({ shipmentId: requested?.id }),
      }),
    );
    // Still waiting: the late warehouse's answer is taken.
    expect(env.cloud.stepFunctions.tokens.waiting(executionArn)[0]?.stateName).toBe('RequestPick');
    await reportPacked(api(), String(requested?.id));
    await shipped(id, String(requested?.id));
  });

  it('re-routes a rejected shipment to another location with the stock, and delivers the order from there', async () => {
    await stockUp(api(), 'ff-rr-a', 'FF-RR', 3);
    await stockUp(api(), 'ff-rr-b', 'FF-RR', 3);
    const id = await place([{ sku: 'FF-RR', quantity: 2 }]);
    const [first] = await pickRequested(id);
    expect(first?.locationId).toBe('ff-rr-a');
    expect((await rejectPick(String(first?.id))).status).toBe(200);
    const second = await reroutedShipment(id);
    expect(second.locationId).toBe('ff-rr-b');
    expect(await reservedByLocation('FF-RR')).toEqual([
      ['ff-rr-a', 0],
      ['ff-rr-b', 2],
    ]);
    expect(await alerts()).toContainEqual(expect.objectContaining({ type: 'ShipmentRejected' }));

    await reportPacked(api(), second.id);
    const label = await shipped(id, second.id);
    await postDelivered(api(), label);
    await eventually(async () => ((await statusOf(id)) === 'DELIVERED' ? true : undefined), 10_000);
    expect((await order(id)).shipments).toHaveLength(2);
    expect(await drift(env.aws)).toEqual([]);
  });

  it("puts a rejected shipment's lines on backorder when no other location has them, and ships them from where stock arrives", async () => {
    await stockUp(api(), 'ff-bo-a', 'FF-BO', 3);
    const id = await place([{ sku: 'FF-BO', quantity: 2 }]);
    const [requested] = await pickRequested(id);
    await rejectPick(String(requested?.id));
    await env.cloud.idle();
    const executionArn = env.aws.executionArn(id);
    expect(env.cloud.stepFunctions.tokens.waiting(executionArn).map((w) => w.stateName)).toEqual([
      'WaitForShipmentStock',
    ]);
    expect(await statusOf(id)).toBe('FULFILLING');
    // Stock arrives at another location: the lines are held there and picked from there.
    await stockUp(api(), 'ff-bo-b', 'FF-BO', 5);
    const second = await reroutedShipment(id);
    expect(second.locationId).toBe('ff-bo-b');
    expect(await reservedByLocation('FF-BO')).toEqual([
      ['ff-bo-a', 0],
      ['ff-bo-b', 2],
    ]);
    await reportPacked(api(), second.id);
    await postDelivered(api(), await shipped(id, second.id));
    await eventually(async () => ((await statusOf(id)) === 'DELIVERED' ? true : undefined), 10_000);
    expect(await drift(env.aws)).toEqual([]);
  });

  it("puts the order ON_HOLD for ops, with an alert, when a rejected shipment's backorder expires; released, it re-routes the shipment to where stock is now", async () => {
    await stockUp(api(), 'ff-only', 'FF-ONLY', 3);
    const id = await place([{ sku: 'FF-ONLY', quantity: 1 }]);
    const [requested] = await pickRequested(id);
    await rejectPick(String(requested?.id));
    await env.cloud.idle();
    const executionArn = env.aws.executionArn(id);
    const [wait] = env.cloud.stepFunctions.tokens.waiting(executionArn);
    expect(wait?.stateName).toBe('WaitForShipmentStock');
    // What the backorder window's TimeoutSeconds does when it fires.
    await env.cloud.stepFunctions.tokens.fail(String(wait?.token), 'States.Timeout', 'Task timed out');
    await eventually(async () => ((await statusOf(id)) === 'ON_HOLD' ? true : undefined), 10_000);
    expect((await order(id)).statusReason).toBe(
      `shipment ${requested?.id} rejected by ff-only (damaged stock); no other location could ship it before its backorder expired`,
    );
    expect(await alerts()).toContainEqual(
      expect.objectContaining({
        type: 'ShipmentRejected',
        subject: expect.objectContaining({ shipmentId: requested?.id }),
      }),
    );
    const late = await reportPacked(api(), String(requested?.id));
    expect(late.status).toBe(409);

    // Stock turns up elsewhere; ops release the order: the shipment is re-routed there and picked.
    await stockUp(api(), 'ff-only-b', 'FF-ONLY', 2);
    await eventually(
      async () =>
        env.cloud.stepFunctions.tokens.waiting(executionArn)[0]?.stateName === 'HeldBeforeReroute'
          ? true
          : undefined,
      10_000,
    );
    const released = await request(api(), 'POST', `/orders/${id}/release`, { body: {} });
    expect(released.body.status).toBe('FULFILLING');
    expect((await reroutedShipment(id)).locationId).toBe('ff-only-b');
  });

  it('does not ship a packed shipment whose capture the payment provider refuses: no label, stock still held, the order ON_HOLD with an alert for ops, its execution waiting for the release', async () => {
    await stockUp(api(), 'ff-unpaid', 'FF-UNPAID', 3);
    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody({
        lines: [{ sku: 'FF-UNPAID', quantity: 1, unitPrice: 1500 }],
        payment: { method: 'card', token: 'tok_captureFails' },
      }),
      headers: { 'idempotency-key': newKey() },
    });
    const id = String(placed.body.id);
    const [requested] = await pickRequested(id);
    expect((await reportPacked(api(), String(requested?.id))).status).toBe(200);
    await env.cloud.idle();
    expect(await statusOf(id)).toBe('ON_HOLD');
    const held = await order(id);
    expect(held.statusReason).toMatch(
      /^payment: Capturing 1500 for shipment .* was refused: the issuer declined the capture$/,
    );
    expect((held.payment as { money: unknown }).money).toMatchObject({
      authorized: 1500,
      captured: 0,
      outstanding: 1500,
    });
    expect(await alerts()).toContainEqual(
      expect.objectContaining({
        type: 'OrderOnHold',
        subject: expect.objectContaining({ orderId: id }),
        message: `Order ${id} is ON_HOLD for ops: ${held.statusReason}`,
      }),
    );
    const [shipment] = await shipments(id);
    expect(shipment).toMatchObject({ status: 'PACKED' });
    expect(shipment?.trackingNumber).toBeUndefined();
    expect(await reservedByLocation('FF-UNPAID')).toEqual([['ff-unpaid', 1]]);
    // The branch waits for ops to release (capture again) or cancel the order.
    const execution = (await env.aws.executions()).find((e) => e.name === id);
    expect(execution?.status).toBe('RUNNING');
    expect(await drift(env.aws)).toEqual([]);
  });

  it('refuses a warehouse report with bad input, naming the field, and changes nothing', async () => {
    const id = await place([{ sku: 'FF-ONE', quantity: 1 }]);
    const [requested] = await pickRequested(id);
    const noPackages = await request(api(), 'POST', `/shipments/${requested?.id}/events`, {
      body: { type: 'packed' },
    });
    expect(noPackages.status).toBe(400);
    expect(noPackages.body.errors).toEqual([expect.objectContaining({ pointer: '#/packages' })]);
    const unknown = await request(api(), 'POST', `/shipments/${id}-9/events`, { body: { type: 'picked' } });
    expect(unknown.status).toBe(404);
    expect((await shipments(id))[0]?.status).toBe('PICK_REQUESTED');
  });
});

describe('carrier webhooks', () => {
  let label: ShipmentView;
  let carrier: string;
  let orderId: string;

  beforeAll(async () => {
    orderId = await place([{ sku: 'FF-ONE', quantity: 1 }]);
    const [requested] = await pickRequested(orderId);
    await reportPacked(api(), String(requested?.id));
    label = await shipped(orderId, String(requested?.id));
    carrier = String(label.carrier?.carrier);
  });

  const current = async () => (await shipments(orderId))[0] as ShipmentView;

  it('refuses a wrong signature, a stale timestamp, a replayed post, an unknown carrier and a malformed body, changing nothing', async () => {
    const before = await current();
    const tracking = String(label.trackingNumber);
    expect(
      (await postTracking(api(), carrier, tracking, 'in_transit', { secret: 'not-the-secret' })).status,
    ).toBe(401);
    expect((await postTracking(api(), carrier, tracking, 'in_transit', { signature: null })).status).toBe(
      401,
    );
    const stale = await postTracking(api(), carrier, tracking, 'in_transit', {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(stale.status).toBe(401);
    expect(String(stale.body.detail)).toMatch(/300 s/);
    expect(
      (
        await postTracking(api(), 'no-such-carrier', tracking, 'in_transit', {
          rawBody: '{}',
          signature: 't=1,v1=00',
        })
      ).status,
    ).toBe(404);
    const malformed = await postTracking(api(), carrier, tracking, 'in_transit', { rawBody: '{"id":"x"}' });
    expect(malformed.status).toBe(400);
    // A post that was not applied does not use up its signature: the carrier's retry is judged again.
    const retried = await postTracking(api(), carrier, tracking, 'in_transit', {
      rawBody: malformed.rawBody,
      signature: malformed.signature,
    });
    expect(retried.status).toBe(400);
    expect(malformed.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '#/trackingNumber' })]),
    );
    const unknownStatus = await postTracking(api(), carrier, tracking, 'in_transit', {
      rawBody: JSON.stringify({
        id: 'evt-bad',
        trackingNumber: tracking,
        status: 'TELEPORTED',
        occurredAt: new Date().toISOString(),
      }),
    });
    expect(unknownStatus.status).toBe(400);
    expect(await current()).toEqual(before);

    const first = await postTracking(api(), carrier, tracking, 'in_transit');
    expect(first.status).toBe(200);
    const replay = await fetch(`${api()}/webhooks/carriers/${carrier}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'oms-signature': String(first.signature) },
      body: first.rawBody,
    });
    expect(replay.status).toBe(401);
    expect((await current()).history).toHaveLength(before.history.length + 1);
  });

  it('treats a duplicate event id as a no-op and never moves a shipment backwards', async () => {
    const tracking = String(label.trackingNumber);
    const out = await postTracking(api(), carrier, tracking, 'out_for_delivery', { eventId: 'evt-dup-1' });
    expect(out.body).toMatchObject({ duplicate: false, moved: true });
    const again = await postTracking(api(), carrier, tracking, 'out_for_delivery', { eventId: 'evt-dup-1' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, moved: false });
    const late = await postTracking(api(), carrier, tracking, 'in_transit');
    expect(late.body).toMatchObject({ duplicate: false, moved: false, status: 'SHIPPED' });
    const shipment = await current();
    expect(shipment.history.at(-1)).toMatchObject({ tracking: 'in_transit', ignored: true });
    expect((shipment as ShipmentView & { tracking: string }).tracking).toBe('out_for_delivery');
  });

  it('puts the order ON_HOLD for ops on a delivery exception', async () => {
    await postTracking(api(), carrier, String(label.trackingNumber), 'exception');
    await eventually(async () => ((await statusOf(orderId)) === 'ON_HOLD' ? true : undefined), 10_000);
    expect(String((await order(orderId)).statusReason)).toMatch(/^delivery exception on shipment/);
    await env.cloud.idle();
    expect(await alerts()).toContainEqual(
      expect.objectContaining({ type: 'ShipmentException', subject: expect.objectContaining({ orderId }) }),
    );
  });

  it("ends the delivery wait on a carrier's re-sent update when its first post was cut off after saving", async () => {
    const id = await place([{ sku: 'FF-ONE', quantity: 1 }]);
    const [requested] = await pickRequested(id);
    await reportPacked(api(), String(requested?.id));
    const sent = await shipped(id, String(requested?.id));
    await env.cloud.idle();
    // The first post saved "delivered" and stopped before it answered the workflow.
    const repository = new DynamoShipmentRepository(
      DynamoDBDocumentClient.from(env.aws.dynamodb),
      env.aws.tableName,
    );
    const stored = await repository.get(sent.id);
    if (!stored) throw new Error('shipment not found');
    const update = {
      carrier,
      eventId: 'evt-cut-off',
      status: 'delivered' as const,
      occurredAt: new Date().toISOString(),
    };
    await repository.update(applyTracking(stored, update, new Date().toISOString()).shipment);
    expect(await statusOf(id)).toBe('SHIPPED');

    const resent = await postTracking(api(), carrier, String(sent.trackingNumber), 'delivered', {
      eventId: 'evt-cut-off',
    });
    expect(resent.body).toMatchObject({ duplicate: true, moved: false, status: 'DELIVERED' });
    await eventually(async () => ((await statusOf(id)) === 'DELIVERED' ? true : undefined), 10_000);
  });
});
