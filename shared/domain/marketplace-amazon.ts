import { ValidationError } from './errors';
import {
  allShipped,
  closedAtMarketplace,
  LEFT_WAREHOUSE,
  type MarketplaceRef,
  type MarketplaceState,
  marketplaceDraft,
  marketplaceLines,
  type SourcedLine,
  toMinorUnits,
  unitPriceOf,
} from './marketplaces';
import type { Address, Order, ShippingMethod } from './order';
import { type ShipmentRecord, ShipmentStatus } from './shipment';

/**
 * The parts of the Selling Partner API's Orders API (v0) the OMS reads: an order as getOrder
 * answers it and its items as getOrderItems does. Other fields are allowed and ignored.
 */
export interface AmazonMoney {
  CurrencyCode: string;
  Amount: string;
}
export interface AmazonOrder {
  AmazonOrderId: string;
  OrderStatus: string;
  /** MFN: the seller ships (the OMS); AFN: Amazon ships (FBA). */
  FulfillmentChannel?: string;
  MarketplaceId?: string;
  OrderTotal?: AmazonMoney;
  ShipmentServiceLevelCategory?: string;
  ShippingAddress?: {
    Name?: string;
    AddressLine1?: string;
    AddressLine2?: string;
    AddressLine3?: string;
    City?: string;
    StateOrRegion?: string;
    PostalCode?: string;
    CountryCode?: string;
  };
  BuyerInfo?: { BuyerEmail?: string; BuyerName?: string };
}
export interface AmazonOrderItem {
  OrderItemId: string;
  ASIN?: string;
  SellerSKU?: string;
  QuantityOrdered: number;
  /** The price of the line: the unit price times the quantity. */
  ItemPrice?: AmazonMoney;
}
export interface AmazonOrderPayload {
  order: AmazonOrder;
  orderItems: AmazonOrderItem[];
}

/** Service levels that ask for the faster of the OMS's two shipping methods. */
const EXPRESS_LEVELS = new Set(['Expedited', 'NextDay', 'SameDay', 'SecondDay', 'Priority']);
/** Amazon statuses in which the seller ships the order. */
const TO_SHIP = new Set(['Unshipped', 'PartiallyShipped']);

/** An Amazon order as the OMS places it, cancels it, or why it does not take it. */
export function fromAmazon(payload: AmazonOrderPayload): MarketplaceState {
  const { order, orderItems } = payload;
  const orderId = order.AmazonOrderId;
  if (order.OrderStatus === 'Canceled') return { kind: 'cancelled', orderId };
  if (order.FulfillmentChannel === 'AFN')
    return {
      kind: 'refused',
      orderId,
      detail: 'Fulfilled by Amazon (AFN): Amazon ships it, not the OMS',
      pointer: '#/order/FulfillmentChannel',
    };
  if (!TO_SHIP.has(order.OrderStatus))
    return {
      kind: 'refused',
      orderId,
      detail: `The order is ${order.OrderStatus} at Amazon: post it once it is Unshipped (paid, not shipped)`,
      pointer: '#/order/OrderStatus',
    };
  const currency =
    order.OrderTotal?.CurrencyCode ?? orderItems.find((i) => i.ItemPrice)?.ItemPrice?.CurrencyCode ?? '';
  const lines: SourcedLine[] = [];
  orderItems.forEach((item, index) => {
    // A line whose units were all cancelled at Amazon has nothing to ship.
    if (item.QuantityOrdered === 0) return;
    const at = `#/orderItems/${index}`;
    const price = item.ItemPrice;
    if (!price)
      throw missing(`${at}/ItemPrice`, 'the price of the line (Amazon gives it once the order is paid)');
    if (price.CurrencyCode !== currency)
      throw missing(`${at}/ItemPrice/CurrencyCode`, `the order's currency, ${currency}`);
    const total = toMinorUnits(price.Amount, currency, `${at}/ItemPrice/Amount`);
    lines.push({
      sku: item.SellerSKU ?? '',
      quantity: item.QuantityOrdered,
      unitPrice: unitPriceOf(total, item.QuantityOrdered, `${at}/ItemPrice/Amount`),
      lineId: item.OrderItemId,
      pointer: at,
      fields: { sku: 'SellerSKU', quantity: 'QuantityOrdered', unitPrice: 'ItemPrice/Amount' },
    });
  });
  const to = order.ShippingAddress ?? {};
  const line2 = [to.AddressLine2, to.AddressLine3].filter(Boolean).join(', ');
  const shippingAddress: Address = {
    name: to.Name ?? '',
    line1: to.AddressLine1 ?? '',
    ...(line2 ? { line2 } : {}),
    city: to.City ?? '',
    ...(to.StateOrRegion ? { region: to.StateOrRegion } : {}),
    postalCode: to.PostalCode ?? '',
    country: to.CountryCode ?? '',
  };
  const shippingMethod: ShippingMethod = EXPRESS_LEVELS.has(order.ShipmentServiceLevelCategory ?? '')
    ? 'express'
    : 'standard';
  return {
    kind: 'placeable',
    orderId,
    order: marketplaceDraft(
      {
        name: 'amazon',
        orderId,
        ...(order.MarketplaceId ? { marketplaceId: order.MarketplaceId } : {}),
      },
      {
        customer: {
          email: order.BuyerInfo?.BuyerEmail ?? '',
          name: order.BuyerInfo?.BuyerName ?? to.Name ?? '',
        },
        shippingAddress,
        currency,
        shippingMethod,
      },
      lines,
      {
        '#/customer/email': '#/order/BuyerInfo/BuyerEmail',
        '#/customer/name': '#/order/BuyerInfo/BuyerName',
        '#/shippingAddress/name': '#/order/ShippingAddress/Name',
        '#/shippingAddress/line1': '#/order/ShippingAddress/AddressLine1',
        '#/shippingAddress/line2': '#/order/ShippingAddress/AddressLine2',
        '#/shippingAddress/city': '#/order/ShippingAddress/City',
        '#/shippingAddress/region': '#/order/ShippingAddress/StateOrRegion',
        '#/shippingAddress/postalCode': '#/order/ShippingAddress/PostalCode',
        '#/shippingAddress/country': '#/order/ShippingAddress/CountryCode',
        '#/currency': '#/order/OrderTotal/CurrencyCode',
        '#/lines': '#/orderItems',
      },
    ),
  };
}

function missing(pointer: string, what: string) {
  return new ValidationError(`The Amazon order is missing ${what}`, [{ pointer, detail: `must be ${what}` }]);
}

/** The body of the Selling Partner API's confirmShipment for one shipment that left. */
export interface AmazonShipmentConfirmation {
  marketplaceId?: string;
  packageDetail: {
    packageReferenceId: string;
    /** The OMS's carriers are not on Amazon's carrier code list: `Other`, named in carrierName. */
    carrierCode: 'Other';
    carrierName: string;
    shippingMethod: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: Array<{ orderItemId: string; quantity: number }>;
  };
}

export interface AmazonStatusView {
  AmazonOrderId: string;
  OrderStatus: 'Unshipped' | 'PartiallyShipped' | 'Shipped' | 'Canceled';
  shipmentConfirmations: AmazonShipmentConfirmation[];
}

/** The OMS order as Amazon names its state, with a shipment confirmation for each parcel that left. */
export function amazonStatus(
  order: Order & { marketplace: MarketplaceRef },
  shipments: ShipmentRecord[],
): AmazonStatusView {
  const gone = shipments.filter((s) => LEFT_WAREHOUSE.has(s.status));
  return {
    AmazonOrderId: order.marketplace.orderId,
    OrderStatus: closedAtMarketplace(order)
      ? 'Canceled'
      : allShipped(order, shipments)
        ? 'Shipped'
        : gone.length > 0
          ? 'PartiallyShipped'
          : 'Unshipped',
    shipmentConfirmations: gone.map((s) => ({
      ...(order.marketplace.marketplaceId ? { marketplaceId: order.marketplace.marketplaceId } : {}),
      packageDetail: {
        packageReferenceId: s.id,
        carrierCode: 'Other',
        carrierName: s.carrier?.carrier ?? 'unknown',
        shippingMethod: s.carrier?.service ?? order.shippingMethod,
        trackingNumber: s.trackingNumber ?? '',
        shipDate: s.history.find((h) => h.status === ShipmentStatus.SHIPPED)?.at ?? s.updatedAt,
        orderItems: marketplaceLines(order.marketplace, s.lines).map((l) => ({
          orderItemId: l.lineId,
          quantity: l.quantity,
        })),
      },
    })),
  };
}
