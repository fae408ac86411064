import { describe, expect, it } from 'vitest';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

/** Business customers: purchase orders on net terms, placed by sales reps, ordered again. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const purchaseOrder = {
  number: 'PO-7781',
  company: { id: 'acme-br', name: 'ACME Comércio Ltda' },
  buyer: { name: 'Bia Lima', email: 'compras@acme.example' },
  costCenter: 'CC-42',
};
const salesRep = { id: 'rep-07', name: 'Caio Reis', email: 'caio@seller.example' };

const place = (body: Record<string, unknown>, key = newKey()) =>
  request(api(), 'POST', '/orders', { body, headers: { 'idempotency-key': key } });
const reorder = (id: string, body: Record<string, unknown>, key = newKey(), token?: string) =>
  request(api(), 'POST', `/orders/${id}/reorder`, {
    body,
    headers: { 'idempotency-key': key },
    ...(token ? { token } : {}),
  });

async function orderIs(id: string, status: string) {
  return eventually(async () => {
    const order = await request(api(), 'GET', `/orders/${id}`);
    return order.body.status === status ? order.body : undefined;
  }, 20_000);
}

describe('B2B orders', () => {
  it("places a sales rep's purchase order for a company on NET45 terms: confirmed with payment DEFERRED and due 45 days after confirmation, the PO, company and buyer on the order and the PO number in its events", async () => {
    await stockUp(api(), 'b2b-cd', 'B2B-BOX', 100);
    const placed = await place(
      orderBody({
        channel: 'b2b',
        lines: [{ sku: 'B2B-BOX', quantity: 40, unitPrice: 1250 }],
        payment: { method: 'invoice', terms: 'NET45' },
        purchaseOrder,
        salesRep,
      }),
    );
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      purchaseOrder,
      salesRep,
      payment: { method: 'invoice', terms: 'NET45' },
    });
    const id = String(placed.body.id);
    const confirmed = await eventually(async () => {
      const order = await request(api(), 'GET', `/orders/${id}`);
      return (order.body.payment as { status: string }).status === 'DEFERRED' ? order.body : undefined;
    }, 20_000);
    const payment = confirmed.payment as { dueAt: string; terms: string };
    const confirmedAt = (confirmed.timeline as Array<{ status: string; at: string }>).find(
      (t) => t.status === 'CONFIRMED',
    )?.at as string;
    expect(Date.parse(payment.dueAt) - Date.parse(confirmedAt)).toBe(45 * 86_400_000);
    // The activity log is a projection: it lags the order by up to its batch window.
    const first = await eventually(async () => {
      const events = await request(api(), 'GET', `/orders/${id}/events`);
      return (events.body.items as Array<{ type: string; data: Record<string, unknown> }>)[0];
    }, 20_000);
    expect(first?.type).toBe('OrderPlaced');
    expect(first?.data).toMatchObject({ purchaseOrderNumber: 'PO-7781', companyId: 'acme-br' });
  });

  it('takes the store default NET30 for an invoice without terms, and refuses terms on a card and a PO without its buyer, naming the field', async () => {
    const invoice = await place(orderBody({ channel: 'b2b', payment: { method: 'invoice' }, purchaseOrder }));
    expect(invoice.body).toMatchObject({ payment: { terms: 'NET30' } });
    const termsOnCard = await place(
      orderBody({ payment: { method: 'card', token: 'tok_visa', terms: 'NET30' } }),
    );
    expect(termsOnCard.status).toBe(400);
    expect(termsOnCard.body.errors).toEqual([expect.objectContaining({ pointer: '#/payment/terms' })]);
    const { buyer: _buyer, ...withoutBuyer } = purchaseOrder;
    const noBuyer = await place(orderBody({ purchaseOrder: withoutBuyer }));
    expect(noBuyer.status).toBe(400);
    expect(noBuyer.body.errors).toEqual([expect.objectContaining({ pointer: '#/purchaseOrder/buyer' })]);
  });

  it('orders again what an earlier order still holds (cancelled units left out) at its prices, for the same company under a new PO number; the same key replays; a card order needs a new token', async () => {
    await stockUp(api(), 'b2b-cd', 'B2B-TAPE', 100);
    await stockUp(api(), 'b2b-cd', 'B2B-LABEL', 100);
    const placed = await place(
      orderBody({
        channel: 'b2b',
        lines: [
          { sku: 'B2B-TAPE', quantity: 10, unitPrice: 300 },
          { sku: 'B2B-LABEL', quantity: 5, unitPrice: 900 },
        ],
        payment: { method: 'invoice', terms: 'NET60' },
        purchaseOrder,
        salesRep,
      }),
    );
    const id = String(placed.body.id);
    await orderIs(id, 'FULFILLING');
    const cancelled = await request(api(), 'POST', `/orders/${id}/cancel`, {
      body: { reason: 'customer_request', lines: [{ lineNumber: 1, quantity: 4 }] },
      headers: { 'idempotency-key': newKey() },
    });
    expect(cancelled.status).toBe(200);

    const key = newKey();
    const again = await reorder(id, { purchaseOrderNumber: 'PO-7790' }, key);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      channel: 'b2b',
      reorderOf: id,
      purchaseOrder: { ...purchaseOrder, number: 'PO-7790' },
      salesRep,
      customer: placed.body.customer,
      shippingAddress: placed.body.shippingAddress,
      payment: { method: 'invoice', terms: 'NET60' },
    });
    expect(
      (again.body.lines as Array<{ sku: string; quantity: number; unitPrice: number }>).map(
        ({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }),
      ),
    ).toEqual([
      { sku: 'B2B-TAPE', quantity: 6, unitPrice: 300 },
      { sku: 'B2B-LABEL', quantity: 5, unitPrice: 900 },
    ]);
    const replay = await reorder(id, { purchaseOrderNumber: 'PO-7790' }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(again.body.id);
    await orderIs(String(again.body.id), 'FULFILLING');

    const byCard = await place(orderBody({ lines: [{ sku: 'B2B-TAPE', quantity: 1, unitPrice: 300 }] }));
    const noToken = await reorder(String(byCard.body.id), {});
    expect(noToken.status).toBe(400);
    expect(noToken.body.errors).toEqual([expect.objectContaining({ pointer: '#/payment/token' })]);
    const withToken = await reorder(String(byCard.body.id), {
      payment: { method: 'card', token: 'tok_visa' },
    });
    expect(withToken.status).toBe(201);
    // A channel orders again only its own orders.
    const web = await tokenOf(env.cloud, 'channel-web');
    expect((await reorder(id, {}, newKey(), web)).status).toBe(403);
    expect((await reorder('01JABCDEFGHJKMNPQRSTVWXYZ0', {})).status).toBe(404);
  });
});
