import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status';

export const EventMetadataSchema = z.object({
  eventId: z.string().min(1),
  orderId: z.string().optional(),
  sequence: z.int().min(1),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
});

export const OrderSummarySchema = z.object({
  orderId: z.string(),
  channel: z.string(),
  externalOrderId: z.string().optional(),
  customerId: z.string().optional(),
  customerEmail: z.string(),
  status: z.enum(ORDER_STATUSES as [string, ...string[]]),
  currency: z.string(),
  grandTotal: z.int(),
  itemCount: z.int(),
  reason: z.string().optional(),
  paymentStatus: z.enum(['PENDING', 'AUTHORIZED', 'DEFERRED', 'DECLINED']),
});

const skuQuantity = z.object({ sku: z.string(), quantity: z.int().min(1) });

const orderEventDetail = z.object({
  metadata: EventMetadataSchema.extend({ orderId: z.string() }),
  data: OrderSummarySchema,
});

const stockSnapshot = z.object({ onHand: z.int(), reserved: z.int(), safetyStock: z.int(), ats: z.int() });
const stockChangedDetail = z.object({
  metadata: EventMetadataSchema,
  data: z.object({
    sku: z.string(),
    locationId: z.string(),
    reason: z.string(),
    before: stockSnapshot,
    after: stockSnapshot,
  }),
});
const stockSignalDetail = z.object({
  metadata: EventMetadataSchema,
  data: z.object({ sku: z.string(), locationId: z.string(), ats: z.int(), lowStockThreshold: z.int() }),
});

/** `detail` of every event on the bus, by source and detail-type; JSON Schemas in schemas/events are generated from these. */
export const EVENT_DETAIL_SCHEMAS = {
  'oms.orders': {
    OrderPlaced: orderEventDetail,
    OrderConfirmed: orderEventDetail,
    OrderFailed: orderEventDetail,
    OrderBackordered: orderEventDetail,
    OrderAllocated: orderEventDetail,
    OrderRouted: orderEventDetail.extend({
      data: OrderSummarySchema.extend({
        shipments: z.array(
          z.object({ id: z.string(), locationId: z.string(), lines: z.array(skuQuantity).min(1) }),
        ),
        policyVersion: z.int().min(0),
        notShipped: z.array(skuQuantity),
      }),
    }),
    OrderCancelled: orderEventDetail,
  },
  'oms.inventory': {
    StockChanged: stockChangedDetail,
    StockLow: stockSignalDetail,
    StockOut: stockSignalDetail,
    StockReplenished: stockSignalDetail,
    StockReserved: z.object({
      metadata: EventMetadataSchema.extend({ orderId: z.string() }),
      data: z.object({
        orderId: z.string(),
        lines: z.array(skuQuantity),
      }),
    }),
  },
} as const;

export type OrderEventDetail = z.infer<typeof orderEventDetail>;
export const OrderEventDetailSchema = orderEventDetail;
export const StockSignalDetailSchema = stockSignalDetail;
