import { describe, expect, it } from 'vitest';
import { heldBack, noBuffers, stockFeedLine } from '../../../shared/domain/channel-stock';
import { ValidationError } from '../../../shared/domain/errors';
import { amazonStatus, fromAmazon } from '../../../shared/domain/marketplace-amazon';
import { fromMercadoLibre, mercadoLibreStatus } from '../../../shared/domain/marketplace-mercadolibre';
import {
  type MarketplaceRef,
  marketplaceLines,
  mergeLines,
  sourcePointer,
  toMinorUnits,
} from '../../../shared/domain/marketplaces';
import { createOrder, type Order, transitionOrder } from '../../../shared/domain/order';
import type { ShipmentRecord } from '../../../shared/domain/shipment';
import { mercadoLibrePayload } from '../../support/marketplace-payloads';

const at = '2026-12-06T10:00:00.000Z';

function takenOrder(
  ref: MarketplaceRef,
  lines: Array<{ sku: string; quantity: number }>,
): Order & { marketplace: MarketplaceRef } {
  const order = createOrder(
    {
      channel: ref.name,
      externalOrderId: ref.orderId,
      customer: { email: 'b@example.com', name: 'B' },
      shippingAddress: { name: 'B', line1: 'x', city: 'y', postalCode: '1', country: 'BR' },
      lines: lines.map((l) => ({ ...l, unitPrice: 100 })),
      currency: 'BRL',
      payment: { method: 'marketplace' },
      marketplace: ref,
    },
    { id: 'o1', now: at },
  );
  return order as Order & { marketplace: MarketplaceRef };
}

function shipment(
  id: string,
  status: ShipmentRecord['status'],
  lines: ShipmentRecord['lines'],
): ShipmentRecord {
  return {
    id,
    orderId: 'o1',
    locationId: 'cd',
    lines,
    status,
    pickDueAt: at,
    history: [{ at, status, source: 'oms' }],
    carrier: { carrier: 'sim-post', service: 'standard', amount: 900, transitDays: 3 },
    trackingNumber: `TRK-${id}`,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('marketplace amounts', () => {
  it("turns decimal amounts into the currency's minor units exactly, and refuses a fraction the currency has not", () => {
    expect(toMinorUnits('59.80', 'BRL', '#/a')).toBe(5980);
    expect(toMinorUnits(129.9, 'BRL', '#/a')).toBe(12990);
    expect(toMinorUnits('1200', 'JPY', '#/a')).toBe(1200);
    expect(toMinorUnits('1.234', 'BHD', '#/a')).toBe(1234);
    expect(() => toMinorUnits('10.005', 'BRL', '#/order/x')).toThrow(ValidationError);
    expect(() => toMinorUnits('-1', 'BRL', '#/a')).toThrow(ValidationError);
  });

  it('merges two lines of one SKU at one price and refuses two prices, naming the second line', () => {
    const line = (lineId: string, unitPrice: number) => ({
      sku: 'A',
      quantity: 1,
      unitPrice,
      lineId,
      pointer: `#/orderItems/${lineId}`,
      fields: { sku: 'SellerSKU', quantity: 'QuantityOrdered', unitPrice: 'ItemPrice/Amount' },
    });
    expect(mergeLines([line('0', 100), line('1', 100)]).lines).toEqual([
      expect.objectContaining({ sku: 'A', quantity: 2, unitPrice: 100 }),
    ]);
    try {
      mergeLines([line('0', 100), line('1', 90)]);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).errors[0]?.pointer).toBe('#/orderItems/1/ItemPrice/Amount');
    }
  });

  it("maps a draft's field to the marketplace field it came from, the longest source first", () => {
    const sources = {
      '#/lines': '#/orderItems',
      '#/lines/1': '#/orderItems/3',
      '#/lines/1/sku': '#/orderItems/3/SellerSKU',
    };
    expect(sourcePointer(sources, '#/lines/1/sku')).toBe('#/orderItems/3/SellerSKU');
    expect(sourcePointer(sources, '#/lines/1/quantity')).toBe('#/orderItems/3/quantity');
    expect(sourcePointer(sources, '#/lines')).toBe('#/orderItems');
    expect(sourcePointer(sources, '#/currency')).toBe('#/currency');
  });
});

describe('Mercado Libre', () => {
  it("names the item field a line's SKU came from, and seller_sku when the item has neither", () => {
    const skuField = (item: {
      id: string;
      seller_sku?: string | null;
      seller_custom_field?: string | null;
    }) => {
      const state = fromMercadoLibre(mercadoLibrePayload(item));
      return state.kind === 'placeable' ? state.order.sources['#/lines/0/sku'] : state.kind;
    };
    expect(skuField({ id: 'MLB1', seller_sku: 'TEE' })).toBe('#/order/order_items/0/item/seller_sku');
    expect(skuField({ id: 'MLB1', seller_sku: null, seller_custom_field: 'TEE' })).toBe(
      '#/order/order_items/0/item/seller_custom_field',
    );
    expect(skuField({ id: 'MLB1', seller_sku: null })).toBe('#/order/order_items/0/item/seller_sku');
    expect(skuField({ id: 'MLB1' })).toBe('#/order/order_items/0/item/seller_sku');
  });
});

describe('Amazon', () => {
  it('skips lines Amazon cancelled to 0 units and maps its service levels onto standard and express', () => {
    const state = fromAmazon({
      order: {
        AmazonOrderId: 'A-1',
        OrderStatus: 'Unshipped',
        ShipmentServiceLevelCategory: 'Standard',
        OrderTotal: { CurrencyCode: 'USD', Amount: '5.00' },
      },
      orderItems: [
        {
          OrderItemId: '1',
          SellerSKU: 'A',
          QuantityOrdered: 0,
          ItemPrice: { CurrencyCode: 'USD', Amount: '0.00' },
        },
        {
          OrderItemId: '2',
          SellerSKU: 'B',
          QuantityOrdered: 1,
          ItemPrice: { CurrencyCode: 'USD', Amount: '5.00' },
        },
      ],
    });
    expect(state.kind).toBe('placeable');
    if (state.kind !== 'placeable') return;
    expect(state.order.draft).toMatchObject({
      shippingMethod: 'standard',
      currency: 'USD',
      lines: [{ sku: 'B', quantity: 1, unitPrice: 500 }],
    });
    expect(fromAmazon({ order: { AmazonOrderId: 'A-2', OrderStatus: 'Canceled' }, orderItems: [] })).toEqual({
      kind: 'cancelled',
      orderId: 'A-2',
    });
  });

  it('is PartiallyShipped while one of two parcels has left, with a confirmation for that parcel only, and Canceled once cancelled', () => {
    const ref: MarketplaceRef = {
      name: 'amazon',
      orderId: 'A-3',
      lines: [
        { sku: 'A', lineId: 'i-1', quantity: 2 },
        { sku: 'B', lineId: 'i-2', quantity: 1 },
      ],
    };
    const order = transitionOrder(
      {
        ...takenOrder(ref, [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ]),
        status: 'ROUTED',
      },
      'FULFILLING',
      at,
    ) as Order & { marketplace: MarketplaceRef };
    const shipments = [
      shipment('o1-1', 'SHIPPED', [{ sku: 'A', quantity: 2 }]),
      shipment('o1-2', 'PICKED', [{ sku: 'B', quantity: 1 }]),
    ];
    const view = amazonStatus(order, shipments);
    expect(view.OrderStatus).toBe('PartiallyShipped');
    expect(view.shipmentConfirmations.map((c) => c.packageDetail.orderItems)).toEqual([
      [{ orderItemId: 'i-1', quantity: 2 }],
    ]);
    expect(amazonStatus({ ...order, status: 'CANCELLED' }, []).OrderStatus).toBe('Canceled');
  });
});

describe('Mercado Libre', () => {
  const ref: MarketplaceRef = {
    name: 'mercadolibre',
    orderId: '2000000001',
    shippingId: '4000000001',
    lines: [{ sku: 'A', lineId: 'MLB1', quantity: 2 }],
  };

  it('reports the least advanced parcel as the shipment status, and handling while units still wait though every parcel left', () => {
    const order: Order & { marketplace: MarketplaceRef } = {
      ...takenOrder(ref, [{ sku: 'A', quantity: 2 }]),
      status: 'FULFILLING',
    };
    const status = (shipments: ShipmentRecord[], o = order) =>
      mercadoLibreStatus(o, shipments).shipping.status;
    const all = [{ sku: 'A', quantity: 2 }];
    const half = [{ sku: 'A', quantity: 1 }];
    expect(status([])).toBe('pending');
    expect(status([shipment('s1', 'PACKED', half), shipment('s2', 'SHIPPED', half)])).toBe('ready_to_ship');
    expect(status([shipment('s1', 'SHIPPED', half)], { ...order, status: 'BACKORDERED' })).toBe('handling');
    expect(status([shipment('s1', 'DELIVERED', all)])).toBe('delivered');
    expect(status([shipment('s1', 'RETURNED_TO_SENDER', all)])).toBe('not_delivered');
    const shipped = mercadoLibreStatus(order, [shipment('s1', 'SHIPPED', all)]);
    expect(shipped).toEqual({
      id: 2000000001,
      status: 'paid',
      shipping: {
        id: 4000000001,
        status: 'shipped',
        tracking_number: 'TRK-s1',
        tracking_method: 'sim-post',
        tracking_numbers: ['TRK-s1'],
      },
    });
  });

  it("confirms a marketplace line's units across the OMS lines that carry it", () => {
    const split: MarketplaceRef = {
      ...ref,
      lines: [
        { sku: 'A', lineId: 'L1', quantity: 1 },
        { sku: 'A', lineId: 'L2', quantity: 2 },
      ],
    };
    expect(marketplaceLines(split, [{ sku: 'A', quantity: 3 }])).toEqual([
      { lineId: 'L1', quantity: 1 },
      { lineId: 'L2', quantity: 2 },
    ]);
  });
});

describe('channel stock buffers', () => {
  it('holds back the units or the share (rounded up), whichever is larger, never more than the ATS; a SKU of its own replaces the default', () => {
    expect(heldBack(100, { percent: 10 })).toBe(10);
    expect(heldBack(100, { percent: 10, units: 15 })).toBe(15);
    expect(heldBack(7, { percent: 10 })).toBe(1);
    expect(heldBack(2, { units: 5 })).toBe(2);
    expect(heldBack(50, {})).toBe(0);
    const buffers = { ...noBuffers('amazon'), default: { percent: 50 }, skus: { B: { units: 1 } } };
    const network = (onHand: number) => ({ sku: 'x', onHand, reserved: 2, safetyStock: 1 });
    expect(stockFeedLine('A', network(11), buffers)).toEqual({ sku: 'A', ats: 8, heldBack: 4, quantity: 4 });
    expect(stockFeedLine('B', network(11), buffers)).toEqual({ sku: 'B', ats: 8, heldBack: 1, quantity: 7 });
    expect(stockFeedLine('C', undefined, buffers)).toEqual({ sku: 'C', ats: 0, heldBack: 0, quantity: 0 });
  });
});
