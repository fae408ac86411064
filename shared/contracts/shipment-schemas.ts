import { z } from 'zod';
import { WAREHOUSE_EVENTS } from '../domain/shipment';

export const ShipmentIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}-[1-9][0-9]?$/, 'must be a shipment id: <order id>-<n>, e.g. 01J...-1'),
});

const Parcel = z.strictObject({
  weightGrams: z.int().min(1).max(1_000_000),
  lengthCm: z.number().positive().max(1000),
  widthCm: z.number().positive().max(1000),
  heightCm: z.number().positive().max(1000),
});

/** POST /shipments/{id}/events: a warehouse reports on a pick request. */
export const WarehouseEventBody = z
  .strictObject({
    type: z.enum(WAREHOUSE_EVENTS),
    packages: z.array(Parcel).min(1).max(50).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((e) => e.type !== 'packed' || e.packages !== undefined, {
    message: 'a packed shipment needs its packages (weight and dimensions)',
    path: ['packages'],
  })
  .refine((e) => e.type !== 'rejected' || e.reason !== undefined, {
    message: 'say why the shipment is rejected',
    path: ['reason'],
  })
  .meta({ id: 'WarehouseEvent' });

export const CarrierParams = z.strictObject({
  carrier: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be a carrier id such as swiftpost'),
});

/** The body the sandbox carriers post (after the signature over the raw body was verified). */
export const CarrierWebhookBody = z
  .strictObject({
    id: z.string().min(1).max(128).describe("The carrier's event id (deduplicated)"),
    trackingNumber: z.string().min(1).max(64),
    status: z.string().min(1).max(64).describe("The carrier's own status code"),
    occurredAt: z.iso.datetime(),
    description: z.string().max(500).optional(),
  })
  .meta({ id: 'CarrierWebhook' });
