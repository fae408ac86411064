import { ValidationError } from './errors';
import { minorUnitDigits } from './money';
import type { Order, OrderDraft, OrderLineDraft } from './order';
import { OrderStatus } from './order-status';
import { type ShipmentRecord, ShipmentStatus } from './shipment';

export const MARKETPLACES = ['amazon', 'mercadolibre'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/** Where a marketplace order came from: what the status mapped back names. */
export interface MarketplaceRef {
  name: Marketplace;
  /** The marketplace's order id (also the order's externalOrderId). */
  orderId: string;
  /** Amazon: the marketplace the order was placed on (confirmShipment names it). */
  marketplaceId?: string;
  /** Mercado Libre: the shipment the order ships under. */
  shippingId?: string;
  /** The marketplace's lines behind each OMS line (one SKU may be on several): a shipment is confirmed line by line. */
  lines: Array<{ sku: string; lineId: string; quantity: number }>;
}

/**
 * A marketplace order as the OMS takes it: the order to place, and for each field of it the
 * field of the marketplace's payload it came from, so a refusal names the field the caller sent.
 */
export interface NormalizedOrder {
  draft: OrderDraft & { marketplace: MarketplaceRef };
  /** JSON pointer in the draft -> JSON pointer in the marketplace payload. */
  sources: Record<string, string>;
}

/** What the marketplace says of the order: place it, cancel it, or wait (not paid yet). */
export type MarketplaceState =
  | { kind: 'placeable'; orderId: string; order: NormalizedOrder }
  | { kind: 'cancelled'; orderId: string }
  /** Not the OMS's to ship (not paid yet, or the marketplace ships it): `detail` says why. */
  | { kind: 'refused'; orderId: string; detail: string; pointer: string };

/** A marketplace line read from the payload, with where it came from: `pointer` and its fields' names. */
export type SourcedLine = OrderLineDraft & {
  lineId: string;
  pointer: string;
  fields: Record<'sku' | 'quantity' | 'unitPrice', string>;
};

/** Turns a decimal amount (a number or a decimal string) into integer minor units, exactly or not at all. */
export function toMinorUnits(amount: number | string, currency: string, pointer: string): number {
  const digits = minorUnitDigits(currency);
  const text = typeof amount === 'number' ? amount.toFixed(Math.min(digits + 2, 20)) : amount.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match)
    throw new ValidationError('Not an amount', [
      { pointer, detail: 'must be a non-negative decimal amount' },
    ]);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    const detail = `has more decimals than ${currency} has (${digits})`;
    throw new ValidationError(`The amount ${text} ${detail}`, [{ pointer, detail }]);
  }
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/**
 * A marketplace line priced as a total for its quantity, as a unit price; refused when the total
 * does not divide (the order would be a cent off what the buyer paid).
 */
export function unitPriceOf(lineTotal: number, quantity: number, pointer: string): number {
  if (lineTotal % quantity !== 0) {
    const detail = `the line total ${lineTotal} (minor units) does not divide by its quantity ${quantity}`;
    throw new ValidationError(`Cannot keep the price exactly: ${detail}`, [{ pointer, detail }]);
  }
  return lineTotal / quantity;
}

/**
 * The OMS takes one line per SKU: two marketplace lines of one SKU at one price become one; at
 * two prices the order is refused, naming the second line.
 */
export function mergeLines(lines: SourcedLine[]): {
  lines: Array<OrderLineDraft & Pick<SourcedLine, 'pointer' | 'fields'>>;
  refs: MarketplaceRef['lines'];
} {
  const bySku = new Map<string, OrderLineDraft & Pick<SourcedLine, 'pointer' | 'fields'>>();
  for (const line of lines) {
    const earlier = bySku.get(line.sku);
    if (!earlier) {
      const { lineId: _lineId, ...first } = line;
      bySku.set(line.sku, first);
      continue;
    }
    if (earlier.unitPrice !== line.unitPrice) {
      const detail = `SKU ${line.sku} is on two lines at two prices; the OMS keeps one price per SKU`;
      throw new ValidationError(`Cannot place the order: ${detail}`, [
        { pointer: `${line.pointer}/${line.fields.unitPrice}`, detail },
      ]);
    }
    earlier.quantity += line.quantity;
  }
  return {
    lines: [...bySku.values()],
    refs: lines.map((l) => ({ sku: l.sku, lineId: l.lineId, quantity: l.quantity })),
  };
}

/**
 * The draft of a marketplace order from the parts every adapter reads; the lines' sources are
 * added to `sources`. Paid at the marketplace: nothing to authorize or capture here.
 */
export function marketplaceDraft(
  ref: Omit<MarketplaceRef, 'lines'>,
  parts: Omit<OrderDraft, 'channel' | 'externalOrderId' | 'lines' | 'payment'>,
  lines: SourcedLine[],
  sources: Record<string, string>,
): NormalizedOrder {
  const merged = mergeLines(lines);
  merged.lines.forEach((line, index) => {
    sources[`#/lines/${index}`] = line.pointer;
    for (const [field, name] of Object.entries(line.fields))
      sources[`#/lines/${index}/${field}`] = `${line.pointer}/${name}`;
  });
  return {
    draft: {
      ...parts,
      channel: ref.name,
      externalOrderId: ref.orderId,
      lines: merged.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      payment: { method: 'marketplace' },
      marketplace: { ...ref, lines: merged.refs },
    },
    sources,
  };
}

/** Units of each of the marketplace's lines in the given OMS lines, the order's lines taken in turn. */
export function marketplaceLines(
  ref: MarketplaceRef,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
): Array<{ lineId: string; quantity: number }> {
  const out: Array<{ lineId: string; quantity: number }> = [];
  for (const line of lines) {
    let left = line.quantity;
    for (const source of ref.lines.filter((l) => l.sku === line.sku)) {
      if (left === 0) break;
      const quantity = Math.min(left, source.quantity);
      out.push({ lineId: source.lineId, quantity });
      left -= quantity;
    }
  }
  return out;
}

/** The first source whose draft pointer begins the given one, with the rest of the path kept. */
export function sourcePointer(sources: Record<string, string>, pointer: string): string {
  const match = Object.keys(sources)
    .filter((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? pointer : `${sources[match]}${pointer.slice(match.length)}`;
}

/** Cancelled, or failed (a marketplace order is never declined: it was paid there). */
export const closedAtMarketplace = (order: Order) =>
  order.status === OrderStatus.CANCELLED || order.status === OrderStatus.FAILED;

/**
 * Every unit still ordered has left its warehouse: read from the shipments themselves, since the
 * order's own status follows a moment after its last parcel's.
 */
export function allShipped(order: Order, shipments: ShipmentRecord[]): boolean {
  const left = new Map<string, number>();
  for (const line of shipments.filter((s) => LEFT_WAREHOUSE.has(s.status)).flatMap((s) => s.lines))
    left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
  return order.lines.every((l) => l.quantity - (l.cancelledQuantity ?? 0) <= (left.get(l.sku) ?? 0));
}

/** Statuses of a shipment that has left its warehouse. */
export const LEFT_WAREHOUSE: ReadonlySet<ShipmentStatus> = new Set([
  ShipmentStatus.SHIPPED,
  ShipmentStatus.DELIVERED,
  ShipmentStatus.RETURNED_TO_SENDER,
]);
