import { z } from 'zod';
import { parseCsv } from './csv';

/** Orders per POST /orders/import: each is placed on its own, well inside the function's timeout. */
export const MAX_IMPORT_ORDERS = 50;

/** Body of POST /orders/import: the orders as POST /orders takes them, each checked on its own. */
export const OrderImportBody = z
  .strictObject({ orders: z.array(z.unknown()).min(1).max(MAX_IMPORT_ORDERS) })
  .meta({ id: 'OrderImportRequest' });

/**
 * The CSV an order import reads: one row per order line, the lines of one order sharing its
 * `externalOrderId` (the order's own columns are read from its first row).
 */
export const ORDER_IMPORT_COLUMNS = {
  required: [
    'externalOrderId',
    'channel',
    'customerEmail',
    'customerName',
    'shipName',
    'shipLine1',
    'shipCity',
    'shipPostalCode',
    'shipCountry',
    'currency',
    'paymentMethod',
    'sku',
    'quantity',
    'unitPrice',
  ],
  optional: ['customerId', 'shipLine2', 'shipRegion', 'paymentToken', 'paymentTerms', 'shippingMethod'],
} as const;

const numberOr = (text: string | undefined) =>
  text !== undefined && /^-?\d+$/.test(text) ? Number(text) : text;

/**
 * Orders from the import CSV, in the order their first rows come, as POST /orders bodies (left
 * for the OMS to validate, each on its own: a bad cell is that order's error, not the file's).
 */
export function ordersFromCsv(text: string): Array<Record<string, unknown>> {
  const orders = new Map<string, Record<string, unknown> & { lines: unknown[] }>();
  for (const [index, row] of parseCsv(text).entries()) {
    const key = row.externalOrderId ?? `row-${index + 2}`;
    const line = { sku: row.sku, quantity: numberOr(row.quantity), unitPrice: numberOr(row.unitPrice) };
    const existing = orders.get(key);
    if (existing) {
      existing.lines.push(line);
      continue;
    }
    orders.set(key, {
      channel: row.channel,
      ...(row.externalOrderId ? { externalOrderId: row.externalOrderId } : {}),
      customer: {
        ...(row.customerId ? { id: row.customerId } : {}),
        email: row.customerEmail,
        name: row.customerName,
      },
      shippingAddress: {
        name: row.shipName,
        line1: row.shipLine1,
        ...(row.shipLine2 ? { line2: row.shipLine2 } : {}),
        city: row.shipCity,
        ...(row.shipRegion ? { region: row.shipRegion } : {}),
        postalCode: row.shipPostalCode,
        country: row.shipCountry,
      },
      lines: [line],
      currency: row.currency,
      payment: {
        method: row.paymentMethod,
        ...(row.paymentToken ? { token: row.paymentToken } : {}),
        ...(row.paymentTerms ? { terms: row.paymentTerms } : {}),
      },
      ...(row.shippingMethod ? { shippingMethod: row.shippingMethod } : {}),
    });
  }
  return [...orders.values()];
}
