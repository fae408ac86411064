import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import type { AmazonOrderPayload } from '../domain/marketplace-amazon';
import type { MeliOrderPayload } from '../domain/marketplace-mercadolibre';
import { MARKETPLACES, type NormalizedOrder, sourcePointer } from '../domain/marketplaces';
import { ChannelSlug, OrderFields, Sku, uniqueSkus } from './order-schemas';

const id = (max: number) => z.string().trim().min(1).max(max);
/** The marketplaces' objects carry many more fields than the OMS reads: they are let through. */
const AmazonMoney = z.looseObject({ CurrencyCode: id(3), Amount: id(32) });

/** Body of POST /marketplaces/amazon/orders: getOrder's order and getOrderItems' items, as the SP-API answers them. */
export const AmazonOrderBody: z.ZodType<AmazonOrderPayload> = z
  .strictObject({
    order: z.looseObject({
      AmazonOrderId: id(64).describe('3-7-7, e.g. 902-3159896-1390916'),
      OrderStatus: id(32).describe('Unshipped and PartiallyShipped are placed; Canceled cancels'),
      FulfillmentChannel: id(8).optional().describe('MFN (the seller ships) is placed; AFN is refused'),
      MarketplaceId: id(32).optional(),
      OrderTotal: AmazonMoney.optional(),
      ShipmentServiceLevelCategory: id(32).optional(),
      ShippingAddress: z
        .looseObject({
          Name: id(200).optional(),
          AddressLine1: id(200).optional(),
          AddressLine2: id(200).optional(),
          AddressLine3: id(200).optional(),
          City: id(100).optional(),
          StateOrRegion: id(100).optional(),
          PostalCode: id(20).optional(),
          CountryCode: id(2).optional(),
        })
        .optional(),
      BuyerInfo: z.looseObject({ BuyerEmail: id(254).optional(), BuyerName: id(200).optional() }).optional(),
    }),
    orderItems: z
      .array(
        z.looseObject({
          OrderItemId: id(64),
          ASIN: id(16).optional(),
          SellerSKU: id(64).optional(),
          QuantityOrdered: z.int().min(0).max(999),
          ItemPrice: AmazonMoney.optional().describe('The price of the line: unit price x quantity'),
        }),
      )
      .min(1)
      .max(50),
  })
  .meta({ id: 'AmazonOrderRequest' });

const MeliId = z.int().positive();

/** Body of POST /marketplaces/mercadolibre/orders: GET /orders/{id} and GET /shipments/{id}, as Mercado Libre answers them. */
export const MercadoLibreOrderBody: z.ZodType<MeliOrderPayload> = z
  .strictObject({
    order: z.looseObject({
      id: MeliId,
      status: id(32).describe('paid is placed; cancelled and invalid cancel'),
      currency_id: id(3),
      order_items: z
        .array(
          z.looseObject({
            item: z.looseObject({
              id: id(32),
              seller_sku: id(64).nullish(),
              seller_custom_field: id(64).nullish(),
            }),
            quantity: z.int().min(1).max(999),
            unit_price: z.number().min(0),
            currency_id: id(3).optional(),
          }),
        )
        .min(1)
        .max(50),
      buyer: z.looseObject({
        id: MeliId,
        nickname: id(100).optional(),
        first_name: id(100).optional(),
        last_name: id(100).optional(),
        email: id(254).optional(),
      }),
      shipping: z.looseObject({ id: MeliId.nullish() }).optional(),
    }),
    shipment: z.looseObject({
      id: MeliId,
      logistic_type: id(32).optional().describe('fulfillment (Full: Mercado Libre ships it) is refused'),
      shipping_option: z.looseObject({ name: id(100).optional() }).optional(),
      receiver_address: z
        .looseObject({
          address_line: id(200).optional(),
          street_name: id(200).optional(),
          street_number: id(20).optional(),
          comment: id(200).optional(),
          zip_code: id(20).optional(),
          city: z.looseObject({ name: id(100).optional() }).optional(),
          state: z.looseObject({ id: id(10).optional(), name: id(100).optional() }).optional(),
          country: z.looseObject({ id: id(2).optional() }).optional(),
          neighborhood: z.looseObject({ name: id(100).optional() }).optional(),
          latitude: z.number().optional(),
          longitude: z.number().optional(),
          receiver_name: id(200).optional(),
        })
        .optional(),
    }),
  })
  .meta({ id: 'MercadoLibreOrderRequest' });

/** The order a marketplace payload maps to, checked by the same rules as POST /orders. */
export const MarketplaceDraft = OrderFields.extend({
  payment: z.strictObject({ method: z.literal('marketplace') }),
  marketplace: z.strictObject({
    name: z.enum(MARKETPLACES),
    orderId: id(64),
    marketplaceId: id(32).optional(),
    shippingId: id(32).optional(),
    lines: z.array(z.strictObject({ sku: Sku, lineId: id(64), quantity: z.int().min(1) })),
  }),
}).superRefine(uniqueSkus);

/**
 * The order a marketplace payload maps to, checked by POST /orders' rules; a refusal names the
 * field of the marketplace's payload the bad value came from.
 */
export function checkedDraft(normalized: NormalizedOrder): NormalizedOrder['draft'] {
  const result = MarketplaceDraft.safeParse(normalized.draft);
  if (result.success) return result.data as NormalizedOrder['draft'];
  throw new ValidationError(
    'The marketplace order cannot be placed as it is',
    result.error.issues.map((issue) => ({
      pointer: sourcePointer(normalized.sources, `#${issue.path.map((p) => `/${String(p)}`).join('')}`),
      detail: issue.message,
    })),
  );
}

export const MarketplaceParams = z.strictObject({ marketplace: z.enum(MARKETPLACES) });
export const MarketplaceOrderParams = MarketplaceParams.extend({
  marketplaceOrderId: id(64).describe("The marketplace's order id"),
});

/** Answer of GET /marketplaces/{marketplace}/orders/{marketplaceOrderId}. */
export const MarketplaceStatusView = z
  .object({
    orderId: z.string().describe("The OMS's order id"),
    status: z.string().describe("The OMS's status"),
    marketplace: z.enum(MARKETPLACES),
    marketplaceStatus: z
      .record(z.string(), z.unknown())
      .describe(
        "The order in the marketplace's terms: Amazon's OrderStatus and a confirmShipment body per parcel that left; Mercado Libre's order and shipment status with tracking",
      ),
  })
  .meta({ id: 'MarketplaceStatus' });

export const ChannelParams = z.strictObject({ channel: ChannelSlug });

const Buffer = z
  .strictObject({
    units: z.int().min(0).max(1_000_000).optional().describe('Units held back'),
    percent: z.number().min(0).max(100).optional().describe('Share of the ATS held back, rounded up'),
  })
  .describe('Held back: the units, the share, or the larger of both');

/** Body of PUT /channels/{channel}/stock-buffers. */
export const StockBufferBody = z
  .strictObject({
    default: Buffer.describe("Every SKU's buffer unless it has its own"),
    skus: z.record(Sku, Buffer).default({}).describe("SKUs' own buffers, replacing the default"),
    expectedVersion: z.int().min(0).describe('The version read (0 before the first save)'),
  })
  .refine((b) => Object.keys(b.skus).length <= 1000, { message: 'at most 1000 SKUs', path: ['skus'] })
  .meta({ id: 'StockBuffersRequest' });

export const StockBuffersView = z
  .object({
    channel: z.string(),
    default: Buffer,
    skus: z.record(z.string(), Buffer),
    version: z.int(),
  })
  .meta({ id: 'StockBuffers' });

export const StockFeedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const StockFeedView = z
  .object({
    channel: z.string(),
    generatedAt: z.iso.datetime(),
    buffersVersion: z.int(),
    items: z.array(
      z.object({
        sku: z.string(),
        ats: z.int().describe("The network's available to sell"),
        heldBack: z.int().describe("The channel's buffer"),
        quantity: z.int().describe('What the channel may list: ats - heldBack'),
      }),
    ),
    next: z.string().optional().describe('Cursor of the next page'),
  })
  .meta({ id: 'StockFeed' });
