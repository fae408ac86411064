import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityTypes, drift, executionEnd, notificationsFor, stockAt } from '../support/books';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const money = async (id: string) => ((await order(id)).payment as { money: Record<string, number> }).money;

const cancel = (id: string, body: Record<string, unknown>, key = newKey()) =>
  request(api(), 'POST', `/orders/${id}/cancel`, { body, headers: { 'idempotency-key': key } });

const statusIs = (id: string, status: string, timeoutMs = 15_000) =>
  eventually(async () => ((await order(id)).status === status ? true : undefined), timeoutMs);

/** Waits until every shipment of the order waits for its warehouse and the order says FULFILLING. */
async function waitingShipments(id: string, count = 1): Promise<ShipmentView[]> {
  const items = await eventually(async () => {
    const items = await shipmentsOf(api(), id);
    return items.length === count && items.every((s) => s.status === 'PICK_REQUESTED') ? items : undefined;
  }, 15_000);
  await statusIs(id, 'FULFILLING');
  return items;
}

/** The execution once it ended: its status and the state it ended in. */
const ended = (id: string) =>
  eventually(async () => {
    const end = await executionEnd(env.aws, id);
    return end.status ? end : undefined;
  }, 15_000);

/** ShipmentCancelRequested events the bus carried, by shipment id (what a warehouse subscriber receives). */
const cancelRequests: string[] = [];
beforeAll(() => {
  env.cloud.eventBus.tap((event) => {
    if (event['detail-type'] === 'ShipmentCancelRequested')
      cancelRequests.push(String((event.detail as { data: { shipmentId: string } }).data.shipmentId));
  });
});

const reservedOf = async (sku: string) => (await stockAt(api(), sku)).map((l) => [l.locationId, l.reserved]);

afterAll(async () => {
  await env.cloud.idle();
  expect(await drift(env.aws)).toEqual([]);
});

describe('cancellation over HTTP', () => {
  it('cancels a backordered order before any pick: its wait ends, nothing stays held, the authorization is voided, one OrderCancelled and one customer message', async () => {
    await stockUp(api(), 'cx-bo', 'CX-BO', 0);
    const id = await placeLines(api(), [{ sku: 'CX-BO', quantity: 2 }]);
    await statusIs(id, 'BACKORDERED');

    const reply = await cancel(id, { reason: 'customer_request', note: 'found it cheaper' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'customer_request: found it cheaper',
    });
    expect(await ended(id)).toEqual({ status: 'ExecutionSucceeded', lastState: 'OrderClosed' });
    // Stock arriving later goes to nobody: the backorder entry is gone.
    await stockUp(api(), 'cx-bo', 'CX-BO', 5);
    await env.cloud.idle();
    expect(await reservedOf('CX-BO')).toEqual([['cx-bo', 0]]);
    expect(await money(id)).toMatchObject({ authorized: 2000, voided: 2000, captured: 0, outstanding: 0 });
    expect((await activityTypes(api(), id)).filter((t) => t === 'OrderCancelled')).toHaveLength(1);
    const messages = (await notificationsFor(api(), id)).filter((n) => n.template === 'order-cancelled');
    expect(messages).toEqual([expect.objectContaining({ audience: 'customer', delivery: 'SENT' })]);
  });

  it('cancels an order after its pick request: the warehouse is asked to stop, its stock is back on sale, the execution ends cancelled, a late packed report is refused', async () => {
    await stockUp(api(), 'cx-pick', 'CX-PICK', 10);
    const id = await placeLines(api(), [{ sku: 'CX-PICK', quantity: 3 }]);
    const [shipment] = await waitingShipments(id);
    expect(await reservedOf('CX-PICK')).toEqual([['cx-pick', 3]]);

    const reply = await cancel(id, { reason: 'fraud_suspected' });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('CANCELLED');
    expect(await ended(id)).toEqual({
      status: 'ExecutionSucceeded',
      lastState: 'CompleteDelivery',
      completion: 'CANCELLED',
    });
    expect((await shipmentsOf(api(), id))[0]?.status).toBe('CANCELLED');
    expect(await stockAt(api(), 'CX-PICK')).toEqual([
      expect.objectContaining({ locationId: 'cx-pick', onHand: 10, reserved: 0 }),
    ]);
    const late = await reportPacked(api(), String(shipment?.id));
    expect(late.status).toBe(409);
    expect(cancelRequests.filter((s) => s === shipment?.id)).toEqual([shipment?.id]);
    await env.cloud.idle();
    const types = await activityTypes(api(), id);
    expect(types.filter((t) => t === 'OrderCancelled')).toHaveLength(1);
    expect(await money(id)).toMatchObject({ voided: 3000, captured: 0, outstanding: 0 });
    expect((await notificationsFor(api(), id)).filter((n) => n.template === 'order-cancelled')).toHaveLength(
      1,
    );
  });

  it('cancels one line of a split order: that shipment stops and its location lets go, the other ships and delivers; captured plus voided is the order total, each movement one Payment event', async () => {
    await stockUp(api(), 'cx-split-a', 'CX-SPLIT-A', 5);
    await stockUp(api(), 'cx-split-b', 'CX-SPLIT-B', 5);
    const id = await placeLines(api(), [
      { sku: 'CX-SPLIT-A', quantity: 1 },
      { sku: 'CX-SPLIT-B', quantity: 2 },
    ]);
    const shipments = await waitingShipments(id, 2);
    const b = shipments.find((s) => s.locationId === 'cx-split-b') as ShipmentView;
    const a = shipments.find((s) => s.locationId === 'cx-split-a') as ShipmentView;

    const reply = await cancel(id, { reason: 'customer_request', lines: [{ lineNumber: 2, quantity: 2 }] });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('FULFILLING');
    expect(reply.body.lines).toEqual([
      expect.not.objectContaining({ cancelledQuantity: expect.anything() }),
      expect.objectContaining({ lineNumber: 2, cancelledQuantity: 2 }),
    ]);
    expect(await reservedOf('CX-SPLIT-B')).toEqual([['cx-split-b', 0]]);
    expect(await reservedOf('CX-SPLIT-A')).toEqual([['cx-split-a', 1]]);
    expect((await shipmentsOf(api(), id)).find((s) => s.id === b.id)?.status).toBe('CANCELLED');
    expect(cancelRequests.filter((s) => s.startsWith(id))).toEqual([b.id]);

    expect((await reportPacked(api(), a.id)).status).toBe(200);
    const shipped = await eventually(async () => {
      const s = (await shipmentsOf(api(), id)).find((x) => x.id === a.id);
      return s?.status === 'SHIPPED' ? s : undefined;
    }, 15_000);
    expect((await postDelivered(api(), shipped)).status).toBe(200);
    await statusIs(id, 'DELIVERED');
    expect(await ended(id)).toEqual({
      status: 'ExecutionSucceeded',
      lastState: 'CompleteDelivery',
      completion: 'DELIVERED',
    });
    expect(await money(id)).toEqual({
      authorized: 3000,
      captured: 1000,
      voided: 2000,
      refunded: 0,
      outstanding: 0,
    });
    await env.cloud.idle();
    const types = await activityTypes(api(), id);
    expect(types.filter((t) => t === 'OrderLineCancelled')).toHaveLength(1);
    expect(types).not.toContain('OrderCancelled');
    // Each movement of money is an event of its own, once: the capture of the shipment that left, the void of the line.
    expect(types.filter((t) => t.startsWith('Payment')).sort()).toEqual(['PaymentCaptured', 'PaymentVoided']);
    expect(
      (await notificationsFor(api(), id)).filter((n) => n.template === 'order-lines-cancelled'),
    ).toHaveLength(1);
  });

  it('cancels some units of a line: the shipment carries the rest, its location holds only those, and the capture charges only those', async () => {
    await stockUp(api(), 'cx-part', 'CX-PART', 10);
    const id = await placeLines(api(), [{ sku: 'CX-PART', quantity: 3 }]);
    const [shipment] = await waitingShipments(id);
    expect((await cancel(id, { reason: 'other', lines: [{ lineNumber: 1, quantity: 1 }] })).status).toBe(200);
    expect(await reservedOf('CX-PART')).toEqual([['cx-part', 2]]);
    expect((await reportPacked(api(), String(shipment?.id))).status).toBe(200);
    await statusIs(id, 'SHIPPED');
    expect(await money(id)).toMatchObject({ captured: 2000, voided: 1000, outstanding: 0 });
    expect(await stockAt(api(), 'CX-PART')).toEqual([expect.objectContaining({ onHand: 8, reserved: 0 })]);
  });

  it('refuses to cancel after the shipment shipped with 409 problem+json saying to open a return, and changes nothing', async () => {
    await stockUp(api(), 'cx-late', 'CX-LATE', 5);
    const id = await placeLines(api(), [{ sku: 'CX-LATE', quantity: 1 }]);
    const [shipment] = await waitingShipments(id);
    await reportPacked(api(), String(shipment?.id));
    await statusIs(id, 'SHIPPED');
    const before = await order(id);
    const reply = await cancel(id, { reason: 'customer_request' });
    expect(reply.status).toBe(409);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(String(reply.body.detail)).toContain('open a return');
    expect((await order(id)).version).toBe(before.version);
  });

  it('answers a repeated request (same key, same body) with the same cancellation, once (one event, one void event); the same key with another body is 422', async () => {
    await stockUp(api(), 'cx-rep', 'CX-REP', 10);
    const id = await placeLines(api(), [{ sku: 'CX-REP', quantity: 4 }]);
    await waitingShipments(id);
    const key = newKey();
    const body = { reason: 'customer_request', lines: [{ lineNumber: 1, quantity: 1 }] };
    const first = await cancel(id, body, key);
    const again = await cancel(id, body, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((again.body.cancellations as unknown[]).length).toBe(1);
    expect((again.body.lines as Array<{ cancelledQuantity?: number }>)[0]?.cancelledQuantity).toBe(1);
    expect(await reservedOf('CX-REP')).toEqual([['cx-rep', 3]]);
    const other = await cancel(id, { ...body, lines: [{ lineNumber: 1, quantity: 2 }] }, key);
    expect(other.status).toBe(422);
    await env.cloud.idle();
    const types = await activityTypes(api(), id);
    expect(types.filter((t) => t === 'OrderLineCancelled')).toHaveLength(1);
    expect(types.filter((t) => t === 'PaymentVoided')).toHaveLength(1);
    expect((await money(id)).voided).toBe(1000);
  });

  it('refuses bad cancellations with the field at fault and changes nothing: unknown reason, unknown line, more units than are open', async () => {
    await stockUp(api(), 'cx-bad', 'CX-BAD', 10);
    const id = await placeLines(api(), [{ sku: 'CX-BAD', quantity: 2 }]);
    await waitingShipments(id);
    const before = await order(id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ reason: 'bored' }, '#/reason'],
      [{ reason: 'other', lines: [{ lineNumber: 7, quantity: 1 }] }, '#/lines/0/lineNumber'],
      [{ reason: 'other', lines: [{ lineNumber: 1, quantity: 3 }] }, '#/lines/0/quantity'],
    ];
    for (const [body, pointer] of cases) {
      const reply = await cancel(id, body);
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([expect.objectContaining({ pointer })]);
    }
    expect((await order(id)).version).toBe(before.version);
    expect(await reservedOf('CX-BAD')).toEqual([['cx-bad', 2]]);
  });

  it('races a cancel against the warehouse packed report 50 times: each ends in exactly one outcome, cancelled with everything let go or shipped with everything captured', async () => {
    await stockUp(api(), 'cx-race', 'CX-RACE', 500);
    const outcomes = { cancelled: 0, shipped: 0 };
    const one = async () => {
      const id = await placeLines(api(), [{ sku: 'CX-RACE', quantity: 1 }]);
      const [shipment] = await waitingShipments(id);
      const [cancelled, packed] = await Promise.all([
        cancel(id, { reason: 'customer_request' }),
        reportPacked(api(), String(shipment?.id)),
      ]);
      expect([cancelled.status, packed.status].sort()).not.toEqual([409, 409]);
      if (cancelled.status === 200) {
        expect(await ended(id)).toMatchObject({ status: 'ExecutionSucceeded' });
        const view = await order(id);
        expect(view.status).toBe('CANCELLED');
        expect((await shipmentsOf(api(), id))[0]?.status).toBe('CANCELLED');
        expect(await money(id)).toMatchObject({ captured: 0, voided: 1000, outstanding: 0 });
        outcomes.cancelled++;
      } else {
        expect(cancelled.status).toBe(409);
        await statusIs(id, 'SHIPPED');
        expect(await money(id)).toMatchObject({ captured: 1000, voided: 0, outstanding: 0 });
        outcomes.shipped++;
      }
    };
    for (let batch = 0; batch < 5; batch++) await Promise.all(Array.from({ length: 10 }, one));
    expect(outcomes.cancelled + outcomes.shipped).toBe(50);
    // Every unit is accounted for: shipped ones left onHand, cancelled ones are back on sale.
    expect(await stockAt(api(), 'CX-RACE')).toEqual([
      expect.objectContaining({ onHand: 500 - outcomes.shipped, reserved: 0 }),
    ]);
    expect(await drift(env.aws)).toEqual([]);
  }, 240_000);
});
