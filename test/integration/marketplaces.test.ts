import { describe, expect, it } from 'vitest';
import { postDelivered, reportPacked, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

/** Marketplace channels: their payloads taken as their APIs give them, their status mapped back, their stock feeds. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;
let serial = 0;

/** An Amazon MFN order, Unshipped, as getOrder and getOrderItems answer it (fields the OMS ignores included). */
function amazonOrder(overrides: { order?: object; orderItems?: object[] } = {}) {
  const id = `902-3159896-${String(1_390_000 + ++serial).padStart(7, '0')}`;
  return {
    order: {
      AmazonOrderId: id,
      PurchaseDate: '2026-12-06T10:01:50Z',
      OrderStatus: 'Unshipped',
      FulfillmentChannel: 'MFN',
      SalesChannel: 'Amazon.com.br',
      MarketplaceId: 'A2Q3Y263D00KWC',
      OrderTotal: { CurrencyCode: 'BRL', Amount: '72.30' },
      ShipmentServiceLevelCategory: 'Expedited',
      ShippingAddress: {
        Name: 'Ana Souza',
        AddressLine1: 'Av. Paulista, 1000',
        AddressLine2: 'Apto 51',
        City: 'São Paulo',
        StateOrRegion: 'SP',
        PostalCode: '01310-100',
        CountryCode: 'BR',
      },
      BuyerInfo: { BuyerEmail: 'x7kq2@marketplace.amazon.com.br', BuyerName: 'Ana Souza' },
      ...overrides.order,
    },
    orderItems: overrides.orderItems ?? [
      {
        ASIN: 'B00X4WHP5E',
        SellerSKU: 'AMZ-MUG',
        OrderItemId: `${id}-1`,
        Title: 'Caneca',
        QuantityOrdered: 2,
        ItemPrice: { CurrencyCode: 'BRL', Amount: '59.80' },
        IsGift: false,
      },
      {
        ASIN: 'B00X4WHP5F',
        SellerSKU: 'AMZ-TEA',
        OrderItemId: `${id}-2`,
        QuantityOrdered: 1,
        ItemPrice: { CurrencyCode: 'BRL', Amount: '12.50' },
      },
    ],
  };
}

/** A paid Mercado Libre order and its shipment, as GET /orders/{id} and GET /shipments/{id} answer them. */
function meliOrder(status = 'paid') {
  const id = 2_000_003_508_419_000 + ++serial;
  return {
    order: {
      id,
      status,
      status_detail: null,
      date_created: '2026-12-06T10:01:50.000-03:00',
      currency_id: 'BRL',
      total_amount: 259.8,
      order_items: [
        {
          item: { id: 'MLB1226730704', title: 'Fone', seller_sku: 'MELI-FONE', variation_id: null },
          quantity: 2,
          unit_price: 129.9,
          currency_id: 'BRL',
        },
      ],
      buyer: {
        id: 123456789,
        nickname: 'COMPRADORTESTE',
        first_name: 'Bruno',
        last_name: 'Dias',
        email: 'bdias.5x9@mail.mercadolivre.com',
      },
      shipping: { id: id + 7 },
      tags: ['paid'],
    },
    shipment: {
      id: id + 7,
      status: 'ready_to_ship',
      logistic_type: 'cross_docking',
      shipping_option: { name: 'Normal' },
      receiver_address: {
        address_line: 'Rua Voluntários da Pátria 45',
        street_name: 'Rua Voluntários da Pátria',
        street_number: '45',
        comment: 'Casa 2',
        zip_code: '22270-000',
        city: { id: 'BR-RJ-01', name: 'Rio de Janeiro' },
        state: { id: 'BR-RJ', name: 'Rio de Janeiro' },
        country: { id: 'BR', name: 'Brasil' },
        neighborhood: { id: null, name: 'Botafogo' },
        receiver_name: 'Bruno Dias',
      },
    },
  };
}

const take = async (marketplace: string, body: unknown, token?: string) =>
  request(api(), 'POST', `/marketplaces/${marketplace}/orders`, {
    body,
    token: token ?? (await tokenOf(env.cloud, `channel-${marketplace}`)),
  });

async function orderIs(id: string, status: string) {
  return eventually(async () => {
    const order = await request(api(), 'GET', `/orders/${id}`);
    return order.body.status === status ? order.body : undefined;
  }, 30_000);
}

describe('marketplace channels', () => {
  it("takes an Amazon order as the SP-API gives it, once per AmazonOrderId, paid at Amazon, and maps its shipment back as Amazon's confirmShipment", async () => {
    await stockUp(api(), 'mk-cd', 'AMZ-MUG', 20);
    await stockUp(api(), 'mk-cd', 'AMZ-TEA', 20);
    const payload = amazonOrder();
    const placed = await take('amazon', payload);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({
      channel: 'amazon',
      externalOrderId: payload.order.AmazonOrderId,
      customer: { email: 'x7kq2@marketplace.amazon.com.br', name: 'Ana Souza' },
      shippingAddress: { line1: 'Av. Paulista, 1000', line2: 'Apto 51', region: 'SP', country: 'BR' },
      shippingMethod: 'express',
      lines: [
        { sku: 'AMZ-MUG', quantity: 2, unitPrice: 2990 },
        { sku: 'AMZ-TEA', quantity: 1, unitPrice: 1250 },
      ],
      totals: { grandTotal: 7230 },
      payment: { method: 'marketplace' },
    });
    const id = String(placed.body.id);
    // A connector polling Amazon posts the order again, even with a later status: the same order.
    const again = await take('amazon', {
      ...payload,
      order: { ...payload.order, OrderStatus: 'PartiallyShipped' },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);

    const fulfilling = await orderIs(id, 'FULFILLING');
    expect(fulfilling.payment).toMatchObject({
      status: 'COLLECTED',
      reference: `amazon:${payload.order.AmazonOrderId}`,
    });
    const statusPath = `/marketplaces/amazon/orders/${payload.order.AmazonOrderId}`;
    const before = await request(api(), 'GET', statusPath, {
      token: await tokenOf(env.cloud, 'channel-amazon'),
    });
    expect(before.body).toEqual({
      orderId: id,
      status: 'FULFILLING',
      marketplace: 'amazon',
      marketplaceStatus: {
        AmazonOrderId: payload.order.AmazonOrderId,
        OrderStatus: 'Unshipped',
        shipmentConfirmations: [],
      },
    });

    expect((await reportPacked(api(), `${id}-1`)).status).toBe(200);
    const [shipment] = await eventually(async () => {
      const all = await shipmentsOf(api(), id);
      return all[0]?.status === 'SHIPPED' ? all : undefined;
    }, 20_000);
    const after = await request(api(), 'GET', statusPath);
    expect(after.body.marketplaceStatus).toMatchObject({
      OrderStatus: 'Shipped',
      shipmentConfirmations: [
        {
          marketplaceId: 'A2Q3Y263D00KWC',
          packageDetail: {
            packageReferenceId: `${id}-1`,
            carrierCode: 'Other',
            carrierName: shipment?.carrier?.carrier,
            trackingNumber: shipment?.trackingNumber,
            orderItems: [
              { orderItemId: `${payload.order.AmazonOrderId}-1`, quantity: 2 },
              { orderItemId: `${payload.order.AmazonOrderId}-2`, quantity: 1 },
            ],
          },
        },
      ],
    });
    // Nothing to capture: Amazon charged the buyer.
    expect((await postDelivered(api(), shipment as never)).status).toBe(200);
    const delivered = await orderIs(id, 'DELIVERED');
    expect((delivered.payment as { movements?: unknown[] }).movements ?? []).toEqual([]);
  });

  it('takes a paid Mercado Libre order with its shipment, cancels it when Mercado Libre did, releasing its stock, and reports both statuses in Mercado Libre terms', async () => {
    await stockUp(api(), 'mk-cd', 'MELI-FONE', 10);
    const payload = meliOrder();
    const placed = await take('mercadolibre', payload);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({
      channel: 'mercadolibre',
      externalOrderId: String(payload.order.id),
      customer: { id: 'mercadolibre:123456789', name: 'Bruno Dias' },
      shippingAddress: {
        name: 'Bruno Dias',
        line1: 'Rua Voluntários da Pátria 45',
        line2: 'Casa 2, Botafogo',
        city: 'Rio de Janeiro',
        region: 'RJ',
        postalCode: '22270-000',
        country: 'BR',
      },
      shippingMethod: 'standard',
      lines: [{ sku: 'MELI-FONE', quantity: 2, unitPrice: 12990 }],
      marketplace: { name: 'mercadolibre', shippingId: String(payload.shipment.id) },
    });
    const id = String(placed.body.id);
    await orderIs(id, 'FULFILLING');
    const statusPath = `/marketplaces/mercadolibre/orders/${payload.order.id}`;
    expect((await request(api(), 'GET', statusPath)).body.marketplaceStatus).toEqual({
      id: payload.order.id,
      status: 'paid',
      shipping: { id: payload.shipment.id, status: 'handling', tracking_numbers: [] },
    });
    expect((await request(api(), 'GET', '/inventory/MELI-FONE')).body.network).toMatchObject({ ats: 8 });

    const cancelled = await take('mercadolibre', {
      ...payload,
      order: { ...payload.order, status: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'CANCELLED' });
    await eventually(async () => {
      const stock = await request(api(), 'GET', '/inventory/MELI-FONE');
      return (stock.body.network as { ats: number }).ats === 10 ? true : undefined;
    }, 20_000);
    expect((await request(api(), 'GET', statusPath)).body.marketplaceStatus).toMatchObject({
      status: 'cancelled',
      shipping: { status: 'cancelled' },
    });
    // Posted again, cancelled it stays: the same answer, nothing more done.
    const repeat = await take('mercadolibre', {
      ...payload,
      order: { ...payload.order, status: 'cancelled' },
    });
    expect(repeat.body).toMatchObject({ id, status: 'CANCELLED' });
  });

  it("refuses what the OMS cannot ship, naming the marketplace's own field, and places nothing", async () => {
    const cases: Array<{ marketplace: string; body: unknown; status: number; pointer: string }> = [
      {
        marketplace: 'amazon',
        body: amazonOrder({ order: { BuyerInfo: {} } }),
        status: 400,
        pointer: '#/order/BuyerInfo/BuyerEmail',
      },
      {
        marketplace: 'amazon',
        body: amazonOrder({
          order: { ShippingAddress: { ...amazonOrder().order.ShippingAddress, CountryCode: 'XX' } },
        }),
        status: 400,
        pointer: '#/order/ShippingAddress/CountryCode',
      },
      {
        marketplace: 'amazon',
        body: amazonOrder({
          orderItems: [
            {
              OrderItemId: '1',
              SellerSKU: 'AMZ-MUG',
              QuantityOrdered: 3,
              ItemPrice: { CurrencyCode: 'BRL', Amount: '10.00' },
            },
          ],
        }),
        status: 400,
        pointer: '#/orderItems/0/ItemPrice/Amount',
      },
      {
        marketplace: 'amazon',
        body: amazonOrder({
          orderItems: [
            {
              OrderItemId: '1',
              SellerSKU: 'bad sku!',
              QuantityOrdered: 1,
              ItemPrice: { CurrencyCode: 'BRL', Amount: '10.00' },
            },
          ],
        }),
        status: 400,
        pointer: '#/orderItems/0/SellerSKU',
      },
      {
        marketplace: 'amazon',
        body: amazonOrder({ order: { FulfillmentChannel: 'AFN' } }),
        status: 422,
        pointer: '#/order/FulfillmentChannel',
      },
      {
        marketplace: 'amazon',
        body: amazonOrder({ order: { OrderStatus: 'Pending' } }),
        status: 422,
        pointer: '#/order/OrderStatus',
      },
      {
        marketplace: 'mercadolibre',
        body: meliOrder('payment_in_process'),
        status: 422,
        pointer: '#/order/status',
      },
      {
        marketplace: 'mercadolibre',
        body: { ...meliOrder(), shipment: { ...meliOrder().shipment, logistic_type: 'fulfillment' } },
        status: 422,
        pointer: '#/shipment/logistic_type',
      },
      { marketplace: 'mercadolibre', body: { order: meliOrder().order }, status: 400, pointer: '#/shipment' },
    ];
    for (const { marketplace, body, status, pointer } of cases) {
      const reply = await take(marketplace, body);
      expect(reply.status, `${pointer}: ${JSON.stringify(reply.body)}`).toBe(status);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      const pointers = [
        ...((reply.body.errors as Array<{ pointer: string }> | undefined) ?? []).map((e) => e.pointer),
        reply.body.pointer,
      ];
      expect(pointers).toContain(pointer);
    }
    const placed = await request(api(), 'GET', '/orders?channel=amazon&limit=100');
    const taken = (placed.body.items as Array<{ externalOrderId: string }>).map((o) => o.externalOrderId);
    for (const { body } of cases.filter((c) => c.marketplace === 'amazon'))
      expect(taken).not.toContain((body as ReturnType<typeof amazonOrder>).order.AmazonOrderId);
    // The web storefront's token does not act for Amazon.
    const web = await take('amazon', amazonOrder(), await tokenOf(env.cloud, 'channel-web'));
    expect(web.status).toBe(403);
  });

  it("sends each channel a stock feed of the network's ATS less its buffer (units, a share, or a SKU's own), paged, versioned against concurrent edits", async () => {
    await stockUp(api(), 'mk-cd', 'FEED-A', 100);
    await stockUp(api(), 'mk-rj', 'FEED-A', 40);
    await stockUp(api(), 'mk-cd', 'FEED-B', 10);
    const set = await request(api(), 'PUT', '/channels/amazon/stock-buffers', {
      body: { default: { percent: 10, units: 2 }, skus: { 'FEED-B': { units: 3 } }, expectedVersion: 0 },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ channel: 'amazon', version: 1 });
    const stale = await request(api(), 'PUT', '/channels/amazon/stock-buffers', {
      body: { default: {}, expectedVersion: 0 },
    });
    expect(stale.status).toBe(409);

    const amazon = await tokenOf(env.cloud, 'channel-amazon');
    const feed = async (channel: string, token?: string) => {
      const items: Array<{ sku: string; ats: number; heldBack: number; quantity: number }> = [];
      let path: string | undefined = `/channels/${channel}/stock-feed?limit=2`;
      while (path) {
        const page = await request(api(), 'GET', path, token ? { token } : {});
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        items.push(...(page.body.items as typeof items));
        path = page.body.next
          ? `/channels/${channel}/stock-feed?limit=2&cursor=${page.body.next}`
          : undefined;
      }
      return items;
    };
    const amazonFeed = await feed('amazon', amazon);
    const skus = amazonFeed.map((i) => i.sku);
    expect(skus).toEqual([...new Set(skus)].sort());
    expect(amazonFeed.filter((i) => i.sku.startsWith('FEED-'))).toEqual([
      { sku: 'FEED-A', ats: 140, heldBack: 14, quantity: 126 },
      { sku: 'FEED-B', ats: 10, heldBack: 3, quantity: 7 },
    ]);
    // Another channel has no buffers: it is sent the ATS as it is.
    expect((await feed('mercadolibre')).filter((i) => i.sku.startsWith('FEED-'))).toEqual([
      { sku: 'FEED-A', ats: 140, heldBack: 0, quantity: 140 },
      { sku: 'FEED-B', ats: 10, heldBack: 0, quantity: 10 },
    ]);
    const foreign = await request(api(), 'GET', '/channels/mercadolibre/stock-feed', { token: amazon });
    expect(foreign.status).toBe(403);
    const byChannel = await request(api(), 'PUT', '/channels/amazon/stock-buffers', {
      body: { default: {}, expectedVersion: 1 },
      token: amazon,
    });
    expect(byChannel.status).toBe(403);
  });
});
