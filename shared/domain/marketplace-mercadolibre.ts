import { ValidationError } from './errors';
import {
  allShipped,
  closedAtMarketplace,
  LEFT_WAREHOUSE,
  type MarketplaceRef,
  type MarketplaceState,
  marketplaceDraft,
  type SourcedLine,
  toMinorUnits,
} from './marketplaces';
import type { Address, Order } from './order';
import { type ShipmentRecord, ShipmentStatus } from './shipment';

/**
 * The parts of Mercado Libre's Orders API (GET /orders/{id}) and Shipments API
 * (GET /shipments/{id}, whose receiver_address the order itself no longer carries) the OMS
 * reads. Other fields are allowed and ignored.
 */
export interface MeliOrder {
  id: number;
  status: string;
  currency_id: string;
  order_items: Array<{
    item: { id: string; seller_sku?: string | null; seller_custom_field?: string | null };
    quantity: number;
    unit_price: number;
    currency_id?: string;
  }>;
  buyer: { id: number; nickname?: string; first_name?: string; last_name?: string; email?: string };
  shipping?: { id?: number | null };
}
export interface MeliShipment {
  id: number;
  /** `fulfillment`: Mercado Libre's own warehouse ships it (Full). */
  logistic_type?: string;
  shipping_option?: { name?: string };
  receiver_address?: {
    address_line?: string;
    street_name?: string;
    street_number?: string;
    comment?: string;
    zip_code?: string;
    city?: { name?: string };
    state?: { id?: string; name?: string };
    country?: { id?: string };
    neighborhood?: { name?: string };
    latitude?: number;
    longitude?: number;
    receiver_name?: string;
  };
}
export interface MeliOrderPayload {
  order: MeliOrder;
  shipment: MeliShipment;
}

/** The order statuses in which the buyer's payment is not (or no longer) there. */
const CANCELLED = new Set(['cancelled', 'invalid']);

/** A Mercado Libre order as the OMS places it, cancels it, or why it does not take it. */
export function fromMercadoLibre(payload: MeliOrderPayload): MarketplaceState {
  const { order, shipment } = payload;
  const orderId = String(order.id);
  if (CANCELLED.has(order.status)) return { kind: 'cancelled', orderId };
  if (order.status !== 'paid')
    return {
      kind: 'refused',
      orderId,
      detail: `The order is ${order.status} at Mercado Libre: post it once it is paid`,
      pointer: '#/order/status',
    };
  if (shipment.logistic_type === 'fulfillment')
    return {
      kind: 'refused',
      orderId,
      detail: 'Mercado Envios Full: Mercado Libre ships it from its own warehouse, not the OMS',
      pointer: '#/shipment/logistic_type',
    };
  if (order.shipping?.id != null && order.shipping.id !== shipment.id) {
    const detail = `must be the order's shipment, ${order.shipping.id}`;
    throw new ValidationError('The shipment is not the order’s', [{ pointer: '#/shipment/id', detail }]);
  }
  const currency = order.currency_id;
  const lines: SourcedLine[] = order.order_items.map((entry, index) => {
    const at = `#/order/order_items/${index}`;
    if (entry.currency_id !== undefined && entry.currency_id !== currency) {
      const detail = `must be the order's currency, ${currency}`;
      throw new ValidationError('A line is in another currency', [{ pointer: `${at}/currency_id`, detail }]);
    }
    // The seller's SKU: the newer seller_sku, else the listing's custom field that held it before.
    const sku = entry.item.seller_sku ?? entry.item.seller_custom_field;
    return {
      sku: sku ?? '',
      quantity: entry.quantity,
      unitPrice: toMinorUnits(entry.unit_price, currency, `${at}/unit_price`),
      lineId: entry.item.id,
      pointer: at,
      fields: {
        // The field that gave the SKU; with neither, the one a seller should fill, seller_sku.
        sku:
          entry.item.seller_sku == null && entry.item.seller_custom_field != null
            ? 'item/seller_custom_field'
            : 'item/seller_sku',
        quantity: 'quantity',
        unitPrice: 'unit_price',
      },
    };
  });
  const to = shipment.receiver_address ?? {};
  const buyerName = [order.buyer.first_name, order.buyer.last_name].filter(Boolean).join(' ');
  const line1 = to.address_line ?? [to.street_name, to.street_number].filter(Boolean).join(' ');
  const line2 = [to.comment, to.neighborhood?.name].filter(Boolean).join(', ');
  // Mercado Libre names a state as COUNTRY-STATE (BR-SP); the OMS keeps the region part.
  const region = to.state?.id?.replace(/^[A-Z]{2}-/, '') ?? to.state?.name;
  const shippingAddress: Address = {
    name: to.receiver_name ?? buyerName,
    line1,
    ...(line2 ? { line2 } : {}),
    city: to.city?.name ?? '',
    ...(region ? { region } : {}),
    postalCode: to.zip_code ?? '',
    country: to.country?.id ?? '',
    ...(to.latitude !== undefined && to.longitude !== undefined
      ? { lat: to.latitude, lon: to.longitude }
      : {}),
  };
  const address = (field: string) => `#/shipment/receiver_address/${field}`;
  return {
    kind: 'placeable',
    orderId,
    order: marketplaceDraft(
      { name: 'mercadolibre', orderId, shippingId: String(shipment.id) },
      {
        customer: {
          id: `mercadolibre:${order.buyer.id}`,
          email: order.buyer.email ?? '',
          name: buyerName || (order.buyer.nickname ?? ''),
        },
        shippingAddress,
        currency,
        shippingMethod: /expres/i.test(shipment.shipping_option?.name ?? '') ? 'express' : 'standard',
      },
      lines,
      {
        '#/customer/email': '#/order/buyer/email',
        '#/customer/name': '#/order/buyer/first_name',
        '#/shippingAddress/name': address('receiver_name'),
        '#/shippingAddress/line1': address('address_line'),
        '#/shippingAddress/line2': address('comment'),
        '#/shippingAddress/city': address('city/name'),
        '#/shippingAddress/region': address('state/id'),
        '#/shippingAddress/postalCode': address('zip_code'),
        '#/shippingAddress/country': address('country/id'),
        '#/shippingAddress/lat': address('latitude'),
        '#/shippingAddress/lon': address('longitude'),
        '#/currency': '#/order/currency_id',
        '#/lines': '#/order/order_items',
      },
    ),
  };
}

/** Mercado Libre's shipment statuses, from the least advanced. */
const MELI_SHIPMENT_STEPS = ['pending', 'handling', 'ready_to_ship', 'shipped', 'delivered'] as const;
type MeliShipmentStatus = (typeof MELI_SHIPMENT_STEPS)[number] | 'not_delivered' | 'cancelled';

const stepOf = (status: ShipmentStatus): MeliShipmentStatus => {
  switch (status) {
    case ShipmentStatus.PICK_REQUESTED:
    case ShipmentStatus.PICKED:
    case ShipmentStatus.REJECTED:
      return 'handling';
    case ShipmentStatus.PACKED:
      return 'ready_to_ship';
    case ShipmentStatus.SHIPPED:
      return 'shipped';
    case ShipmentStatus.DELIVERED:
      return 'delivered';
    case ShipmentStatus.RETURNED_TO_SENDER:
      return 'not_delivered';
    case ShipmentStatus.CANCELLED:
      return 'cancelled';
  }
};

export interface MeliStatusView {
  id: number;
  status: 'paid' | 'cancelled';
  shipping: {
    id: number;
    /** The least advanced of the OMS's shipments (Mercado Libre knows one shipment per order). */
    status: MeliShipmentStatus;
    tracking_number?: string;
    tracking_method?: string;
    /** Every parcel's tracking number, when the OMS split the order. */
    tracking_numbers: string[];
  };
}

/** The OMS order as Mercado Libre names the state of the order and of its shipment. */
export function mercadoLibreStatus(
  order: Order & { marketplace: MarketplaceRef },
  shipments: ShipmentRecord[],
): MeliStatusView {
  const open = shipments.filter((s) => s.status !== ShipmentStatus.CANCELLED).map((s) => stepOf(s.status));
  const least = MELI_SHIPMENT_STEPS.find((step) => open.includes(step)) ?? 'pending';
  const status: MeliShipmentStatus = closedAtMarketplace(order)
    ? 'cancelled'
    : open.includes('not_delivered')
      ? 'not_delivered'
      : // Every parcel left, yet some units wait for stock or routing: still being handled.
        !allShipped(order, shipments) && (least === 'shipped' || least === 'delivered')
        ? 'handling'
        : least;
  const gone = shipments.filter((s) => LEFT_WAREHOUSE.has(s.status) && s.trackingNumber);
  const first = gone[0];
  return {
    id: Number(order.marketplace.orderId),
    status: closedAtMarketplace(order) ? 'cancelled' : 'paid',
    shipping: {
      id: Number(order.marketplace.shippingId),
      status,
      ...(first?.trackingNumber ? { tracking_number: first.trackingNumber } : {}),
      ...(first?.carrier ? { tracking_method: first.carrier.carrier } : {}),
      tracking_numbers: gone.map((s) => s.trackingNumber ?? ''),
    },
  };
}
