import { z } from 'zod';
import { BULK_ACTIONS } from '../domain/bulk-jobs';
import { CANCEL_REASONS } from '../domain/cancellation';
import { isCountryCode } from '../domain/countries';
import { HOLD_REASONS } from '../domain/hold';
import { MARKETPLACES } from '../domain/marketplaces';
import { isCurrencyCode, MAX_UNIT_PRICE } from '../domain/money';
import { PAYMENT_METHODS, PAYMENT_STATUSES, PAYMENT_TERMS, SHIPPING_METHODS } from '../domain/order';
import { ORDER_STATUSES } from '../domain/order-status';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ChannelSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be a lower-case slug such as web, amazon or b2b')
  .meta({ examples: ['web', 'amazon', 'b2b'] });

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'must be 1-64 letters, digits, . _ / -');

export const CurrencyCode = z
  .string()
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code such as USD or BRL')
  .meta({ examples: ['BRL', 'USD'] });

export const CountryCode = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as BR or US')
  .meta({ examples: ['BR'] });

export const CustomerSchema = z.strictObject({
  id: text(64).optional(),
  email: z.email().max(254),
  name: text(200),
});

export const AddressSchema = z
  .strictObject({
    name: text(200),
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    region: text(100).optional(),
    postalCode: text(20),
    country: CountryCode,
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .refine((a) => (a.lat === undefined) === (a.lon === undefined), {
    message: 'lat and lon go together',
    path: ['lat'],
  });

export const OrderLineInput = z.strictObject({
  sku: Sku,
  quantity: z.int().min(1).max(999),
  unitPrice: z.int().min(0).max(MAX_UNIT_PRICE).describe('Integer minor units of the order currency'),
});

export const PaymentInput = z
  .strictObject({
    method: z.enum(PAYMENT_METHODS),
    token: text(128).optional(),
    terms: z
      .enum(PAYMENT_TERMS)
      .optional()
      .describe('Net terms of an invoice (the store default, NET30, when left out)'),
  })
  .refine((p) => !(p.method === 'card' || p.method === 'paypal') || p.token !== undefined, {
    message: 'a token is required for card and paypal payments',
    path: ['token'],
  })
  .refine((p) => p.terms === undefined || p.method === 'invoice', {
    message: 'net terms go with an invoice only',
    path: ['terms'],
  });

export const PurchaseOrderInput = z
  .strictObject({
    number: text(64).describe("The company's purchase order number, printed on the invoice"),
    company: z.strictObject({ id: text(64), name: text(200) }),
    buyer: z.strictObject({ name: text(200), email: z.email().max(254) }),
    costCenter: text(64).optional(),
  })
  .describe('A business order: the company buying, its PO number and who ordered');

export const SalesRepInput = z
  .strictObject({ id: text(64), name: text(200), email: z.email().max(254).optional() })
  .describe("The sales rep who placed the order on the company's behalf");

/** The fields of an order to place, before the checks across them. */
export const OrderFields = z.strictObject({
  channel: ChannelSlug,
  externalOrderId: text(64).optional(),
  customer: CustomerSchema,
  shippingAddress: AddressSchema,
  // Every stock transaction of an order (reserve, route, release) must fit in DynamoDB's 100 actions.
  lines: z.array(OrderLineInput).min(1).max(50),
  currency: CurrencyCode,
  payment: PaymentInput,
  shippingMethod: z.enum(SHIPPING_METHODS).optional(),
  purchaseOrder: PurchaseOrderInput.optional(),
  salesRep: SalesRepInput.optional(),
});

/** One line per SKU: the order's stock and prices are kept by SKU. */
export function uniqueSkus(body: { lines: Array<{ sku: string }> }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  body.lines.forEach((line, index) => {
    if (seen.has(line.sku)) {
      ctx.addIssue({
        code: 'custom',
        message: 'SKUs must be unique within an order',
        path: ['lines', index, 'sku'],
      });
    }
    seen.add(line.sku);
  });
}

/** Body of POST /orders. */
export const PlaceOrderBody = OrderFields.superRefine(uniqueSkus).meta({ id: 'PlaceOrderRequest' });

/** Body of POST /orders/{id}/reorder: what changes from the earlier order (nothing, by default). */
export const ReorderBody = z
  .strictObject({
    purchaseOrderNumber: text(64).optional().describe("The new order's PO number (a business order)"),
    externalOrderId: text(64).optional(),
    payment: PaymentInput.optional().describe(
      'How to pay this time; required when the earlier order was paid by card or wallet (tokens are never reused)',
    ),
  })
  .meta({ id: 'ReorderRequest' });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const OrderStatusSchema = z.enum(ORDER_STATUSES as [string, ...string[]]);

/** Query of GET /orders. */
const Day = z.iso.date().describe('A day, YYYY-MM-DD (UTC)');

export const ListOrdersQuery = z.strictObject({
  status: OrderStatusSchema.optional(),
  channel: ChannelSlug.optional(),
  customerId: text(64).optional(),
  from: Day.optional().describe('Placed on or after this day'),
  to: Day.optional().describe('Placed on or before this day'),
  sku: Sku.optional().describe('Has a line of this SKU'),
  customerEmail: z.email().max(254).optional().describe("The customer's email, whatever its case"),
  externalOrderId: text(64).optional().describe("The channel's own order id"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** Query of GET /orders/export: the list's filters, up to 500 orders a chunk. */
export const ExportOrdersQuery = ListOrdersQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(500)
    .describe('Orders in this chunk (one CSV row per line)'),
});

/** Body of POST /bulk-jobs. */
export const BulkJobBody = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    filter: ListOrdersQuery.omit({ limit: true, cursor: true }).describe(
      "The orders to act on: the list's filters (at least one)",
    ),
    reason: z
      .enum([...new Set([...HOLD_REASONS, ...CANCEL_REASONS])] as [string, ...string[]])
      .optional()
      .describe('A hold reason for hold, a cancellation reason for cancel'),
    note: text(500).optional(),
  })
  .superRefine((body, ctx) => {
    const allowed: readonly string[] | undefined =
      body.action === 'hold' ? HOLD_REASONS : body.action === 'cancel' ? CANCEL_REASONS : undefined;
    if (allowed && (body.reason === undefined || !allowed.includes(body.reason)))
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `one of ${allowed.join(', ')} for ${body.action}`,
      });
    if (!allowed && body.reason !== undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a release takes no reason' });
  })
  .meta({ id: 'BulkJobRequest' });

export const BulkJobParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, 'a bulk job id') });

export const BulkJobView = z
  .object({
    id: z.string(),
    action: z.enum(BULK_ACTIONS),
    filter: z.record(z.string(), z.string()),
    reason: z.string().optional(),
    note: z.string().optional(),
    by: z.string().describe('Who started it'),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
    matched: z.int().describe('Orders looked at so far'),
    applied: z.int(),
    skipped: z.int().describe('Not in a state for the action (already held, shipped...)'),
    failed: z.int(),
    skips: z.array(z.object({ orderId: z.string(), reason: z.string() })).describe('The first 100'),
    failures: z.array(z.object({ orderId: z.string(), error: z.string() })).describe('The first 100'),
    pages: z.int(),
    error: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'BulkJob' });

export const BulkJobPage = z
  .object({ items: z.array(BulkJobView), nextCursor: z.string().optional() })
  .meta({ id: 'BulkJobPage' });

/** Query of GET /orders/counts. */
export const OrderCountsQuery = z.strictObject({
  from: Day.optional().describe('Placed on or after this day'),
  to: Day.optional().describe('Placed on or before this day'),
  channel: ChannelSlug.optional(),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuery>;

/** Body of POST /orders/{id}/cancel. */
export const CancelOrderBody = z
  .strictObject({
    reason: z.enum(CANCEL_REASONS),
    note: text(500).optional(),
    lines: z
      .array(
        z.strictObject({
          lineNumber: z.int().min(1).max(50),
          quantity: z.int().min(1).max(999).describe('Units of the line to cancel'),
        }),
      )
      .min(1)
      .max(50)
      .optional()
      .describe('Units to cancel per line; leave out to cancel the whole order'),
  })
  .meta({ id: 'CancelOrder' });
export type CancelOrderBody = z.infer<typeof CancelOrderBody>;

/** Body of POST /orders/{id}/edits. */
export const EditOrderBody = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          sku: Sku,
          quantity: z.int().min(1).max(999).describe('Units the order should now have open'),
          unitPrice: OrderLineInput.shape.unitPrice
            .optional()
            .describe('Required for a SKU new to the order; a kept line keeps its price unless given'),
        }),
      )
      .min(1)
      .max(50)
      .optional()
      .describe('Every line the order should now have open: a SKU left out is removed'),
    shippingAddress: AddressSchema.optional(),
    shippingMethod: z.enum(SHIPPING_METHODS).optional(),
    note: text(500).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.lines) uniqueSkus({ lines: body.lines }, ctx);
    if (!body.lines && !body.shippingAddress && !body.shippingMethod)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'name the lines, shippingAddress or shippingMethod to change',
      });
  })
  .meta({ id: 'EditOrder' });

/** Body of POST /orders/{id}/hold. */
export const HoldOrderBody = z
  .strictObject({ reason: z.enum(HOLD_REASONS), note: text(500).optional() })
  .meta({ id: 'HoldOrder' });

/** Body of POST /orders/{id}/release. */
export const ReleaseOrderBody = z.strictObject({ note: text(500).optional() }).meta({ id: 'ReleaseOrder' });

const CancelledLineView = z.object({
  lineNumber: z.int(),
  sku: z.string(),
  quantity: z.int(),
  amount: z.int(),
});

export const OrderIdParams = z.strictObject({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an order id (ULID)'),
});

const MarketplaceRefView = z.object({
  name: z.enum(MARKETPLACES),
  orderId: z.string().describe("The marketplace's order id"),
  marketplaceId: z.string().optional(),
  shippingId: z.string().optional(),
  lines: z.array(z.object({ sku: z.string(), lineId: z.string(), quantity: z.int() })),
});

/** An order as the API shows it (the payment token is never shown). */
export const OrderView = z
  .object({
    id: z.string(),
    channel: z.string(),
    externalOrderId: z.string().optional(),
    customer: CustomerSchema,
    shippingAddress: AddressSchema,
    lines: z.array(
      z.object({
        lineNumber: z.int(),
        sku: z.string(),
        quantity: z.int(),
        unitPrice: z.int(),
        lineTotal: z.int(),
        cancelledQuantity: z.int().optional().describe('Units cancelled since placement'),
      }),
    ),
    currency: z.string(),
    payment: z.object({
      method: z
        .enum([...PAYMENT_METHODS, 'exchange', 'marketplace'])
        .describe(
          'exchange: a replacement order, paid by a return; marketplace: charged by the marketplace the order came from',
        ),
      status: z.enum(PAYMENT_STATUSES),
      authorizationId: z.string().optional(),
      authorizedAmount: z.int().optional(),
      reference: z.string().optional(),
      declineCode: z.string().optional(),
      terms: z.enum(PAYMENT_TERMS).optional(),
      dueAt: z.iso.datetime().optional().describe("An invoice's due date: confirmation + its terms' days"),
      replacedAuthorizations: z
        .array(z.object({ authorizationId: z.string(), outstanding: z.int(), at: z.iso.datetime() }))
        .optional()
        .describe('Authorizations an edit replaced with a larger one, each voided for what it still held'),
      movements: z
        .array(
          z.object({
            kind: z.enum(['capture', 'void', 'refund']),
            key: z.string(),
            amount: z.int(),
            reference: z.string(),
            at: z.iso.datetime(),
          }),
        )
        .optional()
        .describe(
          'What the provider did against the authorization, in order: a capture per shipment as it ships',
        ),
      money: z
        .object({
          authorized: z.int(),
          captured: z.int(),
          refunded: z.int(),
          voided: z.int(),
          outstanding: z.int().describe('Authorized and neither captured nor voided yet'),
        })
        .describe('In minor units of the order currency'),
    }),
    shippingMethod: z.enum(SHIPPING_METHODS),
    totals: z.object({ itemCount: z.int(), subtotal: z.int(), grandTotal: z.int() }),
    status: OrderStatusSchema,
    statusReason: z.string().optional(),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    timeline: z.array(
      z.object({ status: OrderStatusSchema, at: z.iso.datetime(), reason: z.string().optional() }),
    ),
    hold: z
      .object({
        kind: z.string().describe('fraud, payment, address, ops, or workflow (held by the OMS itself)'),
        reason: z.string(),
        by: z.string(),
        at: z.iso.datetime(),
        from: OrderStatusSchema.describe('Where the order stood: a release puts it back there'),
      })
      .optional()
      .describe('Set while the order is ON_HOLD'),
    exchangeOf: z
      .object({ orderId: z.string(), returnId: z.string() })
      .optional()
      .describe('Set on a replacement order: the return whose goods pay for it'),
    purchaseOrder: PurchaseOrderInput.optional(),
    salesRep: SalesRepInput.optional(),
    reorderOf: z.string().optional().describe('The earlier order this one was placed again from'),
    marketplace: MarketplaceRefView.optional().describe('Set on an order taken from a marketplace'),
    subscriptionId: z.string().optional().describe('Set on an order a subscription placed'),
    edits: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Every accepted edit: who, when, what changed, before and after, the shipments called off'),
    cancellations: z
      .array(
        z.object({
          id: z.string(),
          at: z.iso.datetime(),
          reason: z.enum(CANCEL_REASONS),
          note: z.string().optional(),
          by: z.string(),
          lines: z.array(CancelledLineView),
          amount: z.int(),
          whole: z.boolean(),
          orderVersion: z.int(),
          key: z.string().describe('<caller>:<Idempotency-Key> of the request'),
          shipments: z.array(
            z.object({
              shipmentId: z.string(),
              locationId: z.string(),
              removed: z.array(z.object({ sku: z.string(), quantity: z.int() })),
              remaining: z.array(z.object({ sku: z.string(), quantity: z.int() })),
            }),
          ),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Order' });

export const OrderPage = z
  .object({ items: z.array(OrderView), nextCursor: z.string().optional() })
  .meta({ id: 'OrderPage' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
