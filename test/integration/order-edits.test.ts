import { describe, expect, it } from 'vitest';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

/** Order edits before the pick: lines, address and service level, re-priced, re-reserved, re-routed, re-authorized. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;

type OrderBody = Record<string, unknown> & {
  status: string;
  version: number;
  totals: { grandTotal: number };
  payment: {
    authorizationId?: string;
    authorizedAmount?: number;
    movements?: Array<{ kind: string; amount: number }>;
  };
};

async function place(lines: Array<{ sku: string; quantity: number; unitPrice: number }>) {
  const placed = await request(api(), 'POST', '/orders', {
    body: orderBody({ lines }),
    headers: { 'idempotency-key': newKey() },
  });
  expect(placed.status).toBe(201);
  return String(placed.body.id);
}

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body as OrderBody;
const orderIs = (id: string, status: string) =>
  eventually(async () => {
    const o = await order(id);
    return o.status === status ? o : undefined;
  }, 30_000);
const edit = (id: string, body: unknown, key = newKey()) =>
  request(api(), 'POST', `/orders/${id}/edits`, { body, headers: { 'idempotency-key': key } });
const network = async (sku: string) =>
  (await request(api(), 'GET', `/inventory/${sku}`)).body.network as { reserved: number; ats: number };
const shipmentIs = (id: string, shipmentId: string, status: string) =>
  eventually(async () => {
    const found = (await shipmentsOf(api(), id)).find((s) => s.id === shipmentId);
    return found?.status === status ? found : undefined;
  }, 30_000);

const newAddress = {
  name: 'Ana Souza',
  line1: 'Rua das Laranjeiras 10',
  city: 'Rio de Janeiro',
  region: 'RJ',
  postalCode: '22240-000',
  country: 'BR',
};

describe('order edits before the pick', () => {
  it('changes the quantity, adds a line and moves the address of an order waiting at its warehouse in one step: re-priced, re-reserved, re-authorized, its shipment called off and the order routed and shipped anew', async () => {
    await stockUp(api(), 'ed-cd', 'EDIT-A', 20);
    await stockUp(api(), 'ed-cd', 'EDIT-B', 20);
    const id = await place([{ sku: 'EDIT-A', quantity: 2, unitPrice: 1000 }]);
    const before = await orderIs(id, 'FULFILLING');
    await shipmentIs(id, `${id}-1`, 'PICK_REQUESTED');

    const key = newKey();
    const body = {
      lines: [
        { sku: 'EDIT-A', quantity: 3 },
        { sku: 'EDIT-B', quantity: 1, unitPrice: 500 },
      ],
      shippingAddress: newAddress,
      note: 'customer called',
    };
    const edited = await edit(id, body, key);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      status: 'ALLOCATED',
      lines: [
        { lineNumber: 1, sku: 'EDIT-A', quantity: 3, unitPrice: 1000, lineTotal: 3000 },
        { lineNumber: 2, sku: 'EDIT-B', quantity: 1, unitPrice: 500, lineTotal: 500 },
      ],
      totals: { grandTotal: 3500 },
      shippingAddress: newAddress,
      payment: {
        status: 'AUTHORIZED',
        authorizedAmount: 3500,
        replacedAuthorizations: [{ authorizationId: before.payment.authorizationId, outstanding: 2000 }],
      },
      edits: [
        {
          changed: ['lines', 'shippingAddress'],
          note: 'customer called',
          cancelledShipments: [`${id}-1`],
          before: { openValue: 2000 },
          after: { openValue: 3500 },
        },
      ],
    });
    expect((edited.body as OrderBody).payment.authorizationId).not.toBe(before.payment.authorizationId);
    const timeline = edited.body.timeline as Array<{ status: string; reason?: string }>;
    expect(timeline.at(-1)).toMatchObject({
      status: 'ALLOCATED',
      reason: 'edited (lines, shippingAddress): customer called',
    });

    // The same request again answers the same edit.
    const replay = await edit(id, body, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((replay.body.edits as unknown[]).length).toBe(1);

    // Routed afresh: the old shipment called off, a new one with the new lines at the warehouse.
    await shipmentIs(id, `${id}-1`, 'CANCELLED');
    const second = await shipmentIs(id, `${id}-2`, 'PICK_REQUESTED');
    expect(second).toMatchObject({ id: `${id}-2` });
    await orderIs(id, 'FULFILLING');
    expect(await network('EDIT-A')).toMatchObject({ reserved: 3 });
    expect(await network('EDIT-B')).toMatchObject({ reserved: 1 });
    // The activity log is a projection: it lags the order by up to its batch window.
    const types = await eventually(async () => {
      const events = await request(api(), 'GET', `/orders/${id}/events`);
      const found = (events.body.items as Array<{ type: string }>).map((e) => e.type);
      return found.includes('OrderEdited') ? found : undefined;
    }, 20_000);
    expect(types).toContain('OrderEdited');
    // The customer is told what the order now holds and costs.
    const notice = await eventually(async () => {
      const page = await request(api(), 'GET', '/notifications?limit=100');
      return (page.body.items as Array<{ orderId?: string; template: string; body: string }>).find(
        (n) => n.orderId === id && n.template === 'order-edited',
      );
    }, 20_000);
    expect(notice.body).toContain('3 x EDIT-A, 1 x EDIT-B');
    expect(notice.body).toContain('BRL 35.00');

    expect((await reportPacked(api(), `${id}-2`)).status).toBe(200);
    const shipped = (await shipmentIs(id, `${id}-2`, 'SHIPPED')) as ShipmentView;
    expect((await postDelivered(api(), shipped)).status).toBe(200);
    const delivered = await orderIs(id, 'DELIVERED');
    expect(delivered.payment.movements).toEqual([expect.objectContaining({ kind: 'capture', amount: 3500 })]);
  });

  it('refuses an edit the stock cannot cover, and one after picking began, changing nothing; a smaller edit voids the difference', async () => {
    await stockUp(api(), 'ed-cd', 'EDIT-C', 5);
    const id = await place([{ sku: 'EDIT-C', quantity: 3, unitPrice: 1000 }]);
    const before = await orderIs(id, 'FULFILLING');
    await shipmentIs(id, `${id}-1`, 'PICK_REQUESTED');

    const short = await edit(id, { lines: [{ sku: 'EDIT-C', quantity: 9 }] });
    expect(short.status).toBe(409);
    expect(short.body.detail).toContain('EDIT-C');
    const unchanged = await order(id);
    expect(unchanged).toMatchObject({ version: before.version, status: 'FULFILLING' });
    expect(unchanged.payment.authorizationId).toBe(before.payment.authorizationId);
    expect(await network('EDIT-C')).toMatchObject({ reserved: 3 });

    const smaller = await edit(id, { lines: [{ sku: 'EDIT-C', quantity: 1 }], shippingMethod: 'express' });
    expect(smaller.status, JSON.stringify(smaller.body)).toBe(200);
    expect(smaller.body).toMatchObject({ shippingMethod: 'express', totals: { grandTotal: 1000 } });
    expect((smaller.body as OrderBody).payment).toMatchObject({
      authorizationId: before.payment.authorizationId,
      movements: [expect.objectContaining({ kind: 'void', amount: 2000 })],
    });
    await shipmentIs(id, `${id}-2`, 'PICK_REQUESTED');
    expect(await network('EDIT-C')).toMatchObject({ reserved: 1 });

    const picked = await request(api(), 'POST', `/shipments/${id}-2/events`, { body: { type: 'picked' } });
    expect(picked.status).toBe(200);
    const late = await edit(id, { shippingMethod: 'standard' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('picking has begun');
  });

  it("edits a backordered order's lines to what is in stock: it allocates and goes to its warehouse", async () => {
    await stockUp(api(), 'ed-cd', 'EDIT-D', 10);
    const id = await place([{ sku: 'EDIT-NONE', quantity: 2, unitPrice: 700 }]);
    await orderIs(id, 'BACKORDERED');
    const edited = await edit(id, { lines: [{ sku: 'EDIT-D', quantity: 2, unitPrice: 700 }] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      status: 'BACKORDERED',
      lines: [{ sku: 'EDIT-D', quantity: 2, lineNumber: 2 }],
    });
    await orderIs(id, 'FULFILLING');
    expect(await network('EDIT-D')).toMatchObject({ reserved: 2 });
  });

  it('corrects the address of an order held for it, and once released routes it to the new address', async () => {
    await stockUp(api(), 'ed-cd', 'EDIT-F', 10);
    const id = await place([{ sku: 'EDIT-F', quantity: 1, unitPrice: 900 }]);
    await orderIs(id, 'FULFILLING');
    await shipmentIs(id, `${id}-1`, 'PICK_REQUESTED');
    const held = await request(api(), 'POST', `/orders/${id}/hold`, {
      body: { reason: 'address', note: 'number missing' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(held.status).toBe(200);
    const edited = await edit(id, { shippingAddress: newAddress });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      status: 'ON_HOLD',
      hold: { from: 'ALLOCATED' },
      shippingAddress: newAddress,
    });
    await shipmentIs(id, `${id}-1`, 'CANCELLED');
    const released = await request(api(), 'POST', `/orders/${id}/release`, {
      body: { note: 'address fixed' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(released.status).toBe(200);
    await shipmentIs(id, `${id}-2`, 'PICK_REQUESTED');
    await orderIs(id, 'FULFILLING');
  });

  it('refuses a new SKU without its price and an edit that changes nothing, naming the field', async () => {
    await stockUp(api(), 'ed-cd', 'EDIT-E', 10);
    const id = await place([{ sku: 'EDIT-E', quantity: 1, unitPrice: 100 }]);
    await orderIs(id, 'FULFILLING');
    const noPrice = await edit(id, { lines: [{ sku: 'EDIT-NEW', quantity: 1 }] });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.errors).toEqual([expect.objectContaining({ pointer: '#/lines/0/unitPrice' })]);
    const nothing = await edit(id, { lines: [{ sku: 'EDIT-E', quantity: 1 }] });
    expect(nothing.status).toBe(400);
    const empty = await edit(id, {});
    expect(empty.status).toBe(400);
  });
});
