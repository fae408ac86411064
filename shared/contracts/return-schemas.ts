import { z } from 'zod';
import { RETURN_REASONS, RETURN_RESOLUTIONS, RETURN_STATUSES } from '../domain/returns';
import { TRACKING_STATUSES } from '../domain/tracking';
import { OrderIdParams, Sku } from './order-schemas';

const text = (max: number) => z.string().trim().min(1).max(max);
const units = z.int().min(0).max(999);

/** Body of POST /orders/{id}/returns. */
export const RequestReturnBody = z
  .strictObject({
    reason: z.enum(RETURN_REASONS),
    note: text(500).optional(),
    resolution: z
      .enum(RETURN_RESOLUTIONS)
      .describe('refund: money back; exchange: the same (or another) SKU sent again'),
    lines: z
      .array(
        z.strictObject({
          lineNumber: z.int().min(1).max(50),
          quantity: z.int().min(1).max(999).describe('Delivered units of the line to send back'),
          exchangeSku: Sku.optional().describe('For an exchange: the SKU to send instead (another size)'),
        }),
      )
      .min(1)
      .max(50),
  })
  .meta({ id: 'RequestReturn' });

export const ReturnIdParams = z.strictObject({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}-R\d{1,3}$/, 'must be a return id (<order id>-R<n>)'),
});

export const ListReturnsQuery = z.strictObject({
  status: z.enum(RETURN_STATUSES).optional(),
  orderId: OrderIdParams.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const ApproveReturnBody = z.strictObject({ note: text(500).optional() }).meta({ id: 'ApproveReturn' });

export const RejectReturnBody = z
  .strictObject({ reason: text(500).describe('Told to the customer'), note: text(500).optional() })
  .meta({ id: 'RejectReturn' });

/** Body of POST /returns/{id}/receive: what the parcel held, line by line, or a rejection at inspection. */
export const ReceiveReturnBody = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          lineNumber: z.int().min(1).max(50),
          resellable: units.describe('Units fit to sell again: back on hand at the location'),
          damaged: units.describe('Units that cannot be sold: to quarantine'),
        }),
      )
      .max(50)
      .describe('Lines not named did not arrive and are not refunded'),
    reject: text(500)
      .optional()
      .describe('Rejects the return at inspection (nothing is refunded), with the reason'),
    note: text(500).optional(),
  })
  .refine((b) => b.reject !== undefined || b.lines.length > 0, {
    message: 'name the lines received, or reject the return',
    path: ['lines'],
  })
  .meta({ id: 'ReceiveReturn' });

export const ReturnPolicyBody = z
  .strictObject({
    expectedVersion: z.int().min(0).describe('The version this change is based on (0: the product default)'),
    windowDays: z.int().min(0).max(365),
    autoApprove: z.strictObject({
      reasons: z.array(z.enum(RETURN_REASONS)).max(RETURN_REASONS.length),
      maxAmount: z.int().min(0).describe('Minor units: returns worth more wait for ops'),
    }),
    restockingFee: z.strictObject({
      percent: z.number().min(0).max(100),
      reasons: z.array(z.enum(RETURN_REASONS)).max(RETURN_REASONS.length),
    }),
  })
  .meta({ id: 'ReturnPolicyRequest' });

const by = z.object({ by: z.string(), at: z.iso.datetime() });

export const ReturnView = z
  .object({
    id: z.string(),
    orderId: z.string(),
    channel: z.string(),
    currency: z.string(),
    status: z.enum(RETURN_STATUSES),
    reason: z.enum(RETURN_REASONS),
    note: z.string().optional(),
    resolution: z.enum(RETURN_RESOLUTIONS),
    lines: z.array(
      z.object({
        lineNumber: z.int(),
        sku: z.string(),
        quantity: z.int(),
        unitPrice: z.int(),
        exchangeSku: z.string().optional(),
      }),
    ),
    amount: z.int().describe('Value of the requested units at the order prices'),
    locationId: z.string().describe('Where the parcel goes back to'),
    requestedBy: z.string(),
    policyVersion: z.int(),
    restockingFeePercent: z.number(),
    approval: by.extend({ automatic: z.boolean(), note: z.string().optional() }).optional(),
    rejection: by.extend({ stage: z.enum(['approval', 'inspection']), reason: z.string() }).optional(),
    label: z
      .object({ carrier: z.string(), service: z.string(), trackingNumber: z.string(), labelRef: z.string() })
      .optional(),
    tracking: z.enum(TRACKING_STATUSES).optional(),
    receipt: by
      .extend({
        locationId: z.string(),
        note: z.string().optional(),
        lines: z.array(
          z.object({ lineNumber: z.int(), sku: z.string(), resellable: z.int(), damaged: z.int() }),
        ),
      })
      .optional(),
    refund: z
      .object({ amount: z.int(), fee: z.int(), reference: z.string(), at: z.iso.datetime() })
      .optional(),
    replacementOrderId: z.string().optional(),
    history: z.array(
      z.object({
        at: z.string(),
        status: z.enum(RETURN_STATUSES),
        source: z.string(),
        tracking: z.enum(TRACKING_STATUSES).optional(),
        eventId: z.string().optional(),
        detail: z.string().optional(),
      }),
    ),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Return' });

export const ReturnPage = z
  .object({ items: z.array(ReturnView), nextCursor: z.string().optional() })
  .meta({ id: 'ReturnPage' });

export const ReturnStatsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const ReturnStatsPage = z
  .object({
    items: z.array(
      z.object({
        sku: z.string(),
        deliveredUnits: z.int(),
        returnedUnits: z.int().describe('Units in return requests'),
        byReason: z.record(z.enum(RETURN_REASONS), z.int()),
        returnRate: z.number().describe('returnedUnits / deliveredUnits'),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'ReturnStatsPage' });
