import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { drift, executionEnd, stockAt } from '../support/books';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody, placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const hold = (id: string, body: Record<string, unknown> = { reason: 'fraud', note: 'address mismatch' }) =>
  request(api(), 'POST', `/orders/${id}/hold`, { body });
const release = (id: string) =>
  request(api(), 'POST', `/orders/${id}/release`, { body: { note: 'checked' } });

const statusIs = (id: string, status: string, timeoutMs = 15_000) =>
  eventually(async () => ((await order(id)).status === status ? true : undefined), timeoutMs);

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 15_000);
}

/** The names of the states the order's execution entered, in order. */
async function statesEntered(id: string): Promise<string[]> {
  const { events = [] } = await env.aws.sfn.send(
    new GetExecutionHistoryCommand({ executionArn: env.aws.executionArn(id), maxResults: 1000 }),
  );
  return events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}

const placeWithToken = async (sku: string, token: string) => {
  const reply = await request(api(), 'POST', '/orders', {
    body: orderBody({ lines: [{ sku, quantity: 1, unitPrice: 1500 }], payment: { method: 'card', token } }),
    headers: { 'idempotency-key': newKey() },
  });
  return String(reply.body.id);
};

afterAll(async () => {
  await env.cloud.idle();
  expect(await drift(env.aws)).toEqual([]);
});

describe('holds over HTTP', () => {
  it('holds a picking order: the packed shipment gets no capture and no label while held, the execution waits before ShipAndAwaitDelivery, and on release it ships from there', async () => {
    await stockUp(api(), 'hd-pick', 'HD-PICK', 5);
    const id = await placeLines(api(), [{ sku: 'HD-PICK', quantity: 1 }]);
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    await statusIs(id, 'FULFILLING');

    const held = await hold(id);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      status: 'ON_HOLD',
      statusReason: 'fraud: address mismatch',
      hold: { kind: 'fraud', from: 'FULFILLING' },
    });
    expect((await reportPacked(api(), shipment.id)).status).toBe(200);
    await eventually(
      async () => ((await statesEntered(id)).includes('HeldBeforeShip') ? true : undefined),
      15_000,
    );
    await env.cloud.idle();
    const [packed] = await shipmentsOf(api(), id);
    expect(packed).toMatchObject({ status: 'PACKED' });
    expect(packed?.trackingNumber).toBeUndefined();
    expect(((await order(id)).payment as { money: { captured: number } }).money.captured).toBe(0);

    const released = await release(id);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'FULFILLING' });
    expect(released.body.hold).toBeUndefined();
    const shipped = await shipmentIs(id, 'SHIPPED');
    await statusIs(id, 'SHIPPED');
    expect(
      (await statesEntered(id)).filter((s) => s === 'ShipAndAwaitDelivery').length,
    ).toBeGreaterThanOrEqual(2);
    expect((await postDelivered(api(), shipped)).status).toBe(200);
    await statusIs(id, 'DELIVERED');
    const timeline = ((await order(id)).timeline as Array<{ status: string }>).map((t) => t.status);
    expect(timeline).toEqual(expect.arrayContaining(['ON_HOLD', 'FULFILLING', 'SHIPPED', 'DELIVERED']));
  });

  it('holds a backordered order: stock arriving meanwhile is not taken for it and no pick is requested; released, it takes the stock and is picked', async () => {
    await stockUp(api(), 'hd-bo', 'HD-BO', 0);
    const id = await placeLines(api(), [{ sku: 'HD-BO', quantity: 2 }]);
    await statusIs(id, 'BACKORDERED');
    expect((await hold(id, { reason: 'address' })).body).toMatchObject({ hold: { from: 'BACKORDERED' } });

    await stockUp(api(), 'hd-bo', 'HD-BO', 5);
    await env.cloud.idle();
    expect((await order(id)).status).toBe('ON_HOLD');
    expect(await shipmentsOf(api(), id)).toEqual([]);
    expect((await stockAt(api(), 'HD-BO'))[0]?.reserved).toBe(0);

    expect((await release(id)).body.status).toBe('BACKORDERED');
    await shipmentIs(id, 'PICK_REQUESTED');
    expect((await stockAt(api(), 'HD-BO'))[0]?.reserved).toBe(2);
  });

  it('releases the hold the OMS put on a refused capture: the capture is asked again, under a new key, and the order ships', async () => {
    await stockUp(api(), 'hd-once', 'HD-ONCE', 3);
    const id = await placeWithToken('HD-ONCE', 'tok_captureFailsOnce');
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    await reportPacked(api(), shipment.id);
    await statusIs(id, 'ON_HOLD');
    expect((await order(id)).hold).toMatchObject({ kind: 'workflow', from: 'FULFILLING' });

    expect((await release(id)).status).toBe(200);
    await statusIs(id, 'SHIPPED');
    const payment = (await order(id)).payment as {
      money: Record<string, number>;
      movements: Array<{ key: string }>;
    };
    expect(payment.money).toMatchObject({ captured: 1500, outstanding: 0 });
    expect(payment.movements.map((m) => m.key)).toEqual([`capture-${shipment.id}-retry-1`]);
  });

  it('cancels an order held on a refused capture: its waiting branch ends, the stock goes back on sale, the authorization is voided', async () => {
    await stockUp(api(), 'hd-never', 'HD-NEVER', 3);
    const id = await placeWithToken('HD-NEVER', 'tok_captureFails');
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    await reportPacked(api(), shipment.id);
    await statusIs(id, 'ON_HOLD');
    await eventually(
      async () => ((await statesEntered(id)).includes('HeldBeforeShip') ? true : undefined),
      15_000,
    );

    const cancelled = await request(api(), 'POST', `/orders/${id}/cancel`, {
      body: { reason: 'payment_problem' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(cancelled.body.hold).toBeUndefined();
    expect(
      await eventually(async () => {
        const end = await executionEnd(env.aws, id);
        return end.status ? end : undefined;
      }, 15_000),
    ).toEqual({ status: 'ExecutionSucceeded', lastState: 'CompleteDelivery', completion: 'CANCELLED' });
    expect((await stockAt(api(), 'HD-NEVER'))[0]).toMatchObject({ onHand: 3, reserved: 0 });
    expect(((await order(id)).payment as { money: Record<string, number> }).money).toMatchObject({
      captured: 0,
      voided: 1500,
      outstanding: 0,
    });
  });

  it('refuses what cannot be: a hold of a delivered order, a release of an order not held (409), an unknown reason (400 naming the field)', async () => {
    await stockUp(api(), 'hd-done', 'HD-DONE', 3);
    const id = await placeLines(api(), [{ sku: 'HD-DONE', quantity: 1 }]);
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    await reportPacked(api(), shipment.id);
    await postDelivered(api(), await shipmentIs(id, 'SHIPPED'));
    await statusIs(id, 'DELIVERED');
    const before = (await order(id)).version;
    expect((await hold(id)).status).toBe(409);
    expect((await release(id)).status).toBe(409);
    const bad = await hold(id, { reason: 'boredom' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '#/reason' })]);
    expect((await order(id)).version).toBe(before);
  });
});
