import { z } from 'zod';
import { LOCATION_TYPES } from '../domain/location';
import { CountryCode, Sku } from './order-schemas';

const text = (max: number) => z.string().trim().min(1).max(max);
const units = z.int().min(0).max(100_000_000);

export const LocationId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lower-case slug such as sp-1 or store-paulista');

export const LocationIdParams = z.strictObject({ id: LocationId });

/** Body of PUT /locations/{id}. */
export const PutLocationBody = z
  .strictObject({
    name: text(200),
    type: z.enum(LOCATION_TYPES),
    address: z.strictObject({
      line1: text(200).optional(),
      city: text(100).optional(),
      region: text(100).optional(),
      postalCode: text(20).optional(),
      country: CountryCode,
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
    }),
    active: z.boolean().default(true),
    priority: z.int().min(0).max(1000).default(100),
    dailyCapacity: z.int().min(1).max(10_000_000).optional(),
  })
  .meta({ id: 'PutLocationRequest' });

export const StockParams = z.strictObject({ sku: Sku, locationId: LocationId });
export const SkuParams = z.strictObject({ sku: Sku });

/** Body of PUT /inventory/{sku}/locations/{locationId}: a cycle count. */
export const StockCountBody = z
  .strictObject({
    onHand: units,
    safetyStock: units.optional(),
    lowStockThreshold: units.optional(),
  })
  .meta({ id: 'StockCountRequest' });

export const ADJUSTMENT_REASONS = ['received', 'returned', 'damaged', 'lost', 'found', 'correction'] as const;

/** Body of POST /inventory/{sku}/locations/{locationId}/adjustments. */
export const StockAdjustmentBody = z
  .strictObject({
    delta: z
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((d) => d !== 0, 'must not be 0'),
    reason: z.enum(ADJUSTMENT_REASONS),
  })
  .meta({ id: 'StockAdjustmentRequest' });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** Query of GET /inventory. */
export const ListInventoryQuery = PageQuery.extend({
  locationId: LocationId.optional(),
  lowStock: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** Most rows one import request takes. */
export const MAX_IMPORT_ROWS = 1000;

export const StockImportRow = z.strictObject({
  sku: Sku,
  locationId: LocationId,
  onHand: z.coerce.number().pipe(units),
  safetyStock: z.coerce.number().pipe(units).optional(),
  lowStockThreshold: z.coerce.number().pipe(units).optional(),
});

/** Body of POST /inventory/import (JSON; a text/csv body with the same columns is read into it). */
export const StockImportBody = z
  .strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS) })
  .meta({ id: 'StockImportRequest' });
