import { z } from 'zod';
import { CANCEL_REASONS } from '../domain/cancellation';
import { PAYMENT_STATUSES } from '../domain/order';
import { ORDER_STATUSES } from '../domain/order-status';
import { RETURN_EVENT_TYPES } from '../domain/return-events';
import { ShipmentStatus } from '../domain/shipment';
import { ShipmentEventType } from '../domain/shipment-events';
import { SUBSCRIPTION_EVENT_TYPES, type SubscriptionEventType } from '../domain/subscription-events';
import { INTERVAL_UNITS, SubscriptionStatus } from '../domain/subscriptions';
import { TRACKING_STATUSES } from '../domain/tracking';
import { ReturnView } from './return-schemas';

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
  paymentStatus: z.enum(PAYMENT_STATUSES),
  // Optional: events published before it was added (replays, dead letters) lack it.
  placedAt: z.iso.datetime().optional(),
  purchaseOrderNumber: z.string().optional(),
  companyId: z.string().optional(),
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

const parcel = z.object({
  weightGrams: z.int(),
  lengthCm: z.number(),
  widthCm: z.number(),
  heightCm: z.number(),
});
const historyEntry = z.object({
  at: z.string(),
  status: z.string(),
  source: z.string(),
  tracking: z.enum(TRACKING_STATUSES).optional(),
  detail: z.string().optional(),
  eventId: z.string().optional(),
  ignored: z.boolean().optional(),
});
const shipmentEventDetail = z.object({
  metadata: EventMetadataSchema.extend({ orderId: z.string() }),
  data: z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    locationId: z.string(),
    lines: z.array(skuQuantity).min(1),
    status: z.enum(Object.values(ShipmentStatus) as [string, ...string[]]),
    pickDueAt: z.string(),
    packages: z.array(parcel).optional(),
    rejectionReason: z.string().optional(),
    carrier: z
      .object({ carrier: z.string(), service: z.string(), amount: z.int(), transitDays: z.int() })
      .optional(),
    trackingNumber: z.string().optional(),
    labelRef: z.string().optional(),
    tracking: z.enum(TRACKING_STATUSES).optional(),
    latest: historyEntry.optional(),
    shippingStartedAt: z.string().optional(),
    cancellations: z.array(z.string()).optional().describe('Ids of the cancellations that cut it'),
  }),
});

const paymentDetail = orderEventDetail.extend({
  data: OrderSummarySchema.extend({
    movement: z.object({
      kind: z.enum(['capture', 'void', 'refund']),
      key: z.string().describe('The idempotency key the provider was called with'),
      amount: z.int().min(1),
      reference: z.string(),
      at: z.string(),
    }),
    money: z.object({
      authorized: z.int(),
      captured: z.int(),
      refunded: z.int(),
      voided: z.int(),
      outstanding: z.int(),
    }),
  }),
});

const cancellationDetail = orderEventDetail.extend({
  data: OrderSummarySchema.extend({
    cancellation: z.object({
      id: z.string(),
      at: z.string(),
      reason: z.enum(CANCEL_REASONS),
      note: z.string().optional(),
      by: z.string(),
      lines: z.array(
        z.object({ lineNumber: z.int().min(1), sku: z.string(), quantity: z.int().min(1), amount: z.int() }),
      ),
      amount: z.int(),
      whole: z.boolean(),
      shipments: z.array(
        z.object({
          shipmentId: z.string(),
          locationId: z.string(),
          removed: z.array(skuQuantity),
          remaining: z.array(skuQuantity),
        }),
      ),
    }),
  }),
});

const {
  id: _id,
  history: _history,
  version: _version,
  createdAt: _created,
  updatedAt: _updated,
  ...returnFields
} = ReturnView.shape;
const returnEventDetail = z.object({
  metadata: EventMetadataSchema.extend({ orderId: z.string() }),
  data: z.object({ returnId: z.string(), customerEmail: z.string(), ...returnFields }),
});

const subscriptionEventDetail = z.object({
  metadata: EventMetadataSchema,
  data: z.object({
    subscriptionId: z.string(),
    status: z.enum(Object.values(SubscriptionStatus)),
    channel: z.string(),
    customerId: z.string().optional(),
    customerEmail: z.string(),
    customerName: z.string(),
    interval: z.object({ every: z.int().min(1), unit: z.enum(INTERVAL_UNITS) }),
    runAt: z.iso.datetime().optional(),
    nextRunAt: z.iso.datetime().optional(),
    currency: z.string(),
    total: z.int(),
    lines: z.array(z.object({ sku: z.string(), quantity: z.int().min(1), unitPrice: z.int().min(0) })),
    orderId: z.string().optional(),
  }),
});

const editedState = z.object({
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().min(1), unitPrice: z.int().min(0) })),
  shippingAddress: z.record(z.string(), z.unknown()),
  shippingMethod: z.string(),
  openValue: z.int(),
});

/** `detail` of every event on the bus, by source and detail-type; JSON Schemas in schemas/events are generated from these. */
export const EVENT_DETAIL_SCHEMAS = {
  'oms.orders': {
    OrderPlaced: orderEventDetail.extend({
      data: OrderSummarySchema.extend({
        lines: z
          .array(z.object({ sku: z.string(), quantity: z.int().min(1), lineTotal: z.int().min(0) }))
          .optional(),
      }),
    }),
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
        waitedForStock: z.boolean().optional(),
      }),
    }),
    OrderCancelled: cancellationDetail,
    OrderLineCancelled: cancellationDetail,
    PaymentCaptured: paymentDetail,
    PaymentVoided: paymentDetail,
    OrderFulfilling: orderEventDetail,
    OrderShipped: orderEventDetail,
    OrderDelivered: orderEventDetail,
    OrderOnHold: orderEventDetail,
    OrderReleased: orderEventDetail,
    OrderEdited: orderEventDetail.extend({
      data: OrderSummarySchema.extend({
        edit: z.object({
          id: z.string(),
          at: z.iso.datetime(),
          by: z.string(),
          note: z.string().optional(),
          changed: z.array(z.enum(['lines', 'shippingAddress', 'shippingMethod'])),
          before: editedState,
          after: editedState,
          cancelledShipments: z.array(z.string()),
        }),
      }),
    }),
  },
  'oms.fulfillment': Object.fromEntries(
    Object.values(ShipmentEventType).map((type) => [type, shipmentEventDetail]),
  ) as Record<ShipmentEventType, typeof shipmentEventDetail>,
  'oms.returns': Object.fromEntries(RETURN_EVENT_TYPES.map((type) => [type, returnEventDetail])) as Record<
    (typeof RETURN_EVENT_TYPES)[number],
    typeof returnEventDetail
  >,
  'oms.subscriptions': Object.fromEntries(
    SUBSCRIPTION_EVENT_TYPES.map((type) => [type, subscriptionEventDetail]),
  ) as Record<SubscriptionEventType, typeof subscriptionEventDetail>,
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
