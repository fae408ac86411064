import type { ShippingMethod } from './order';

export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

export const ZONES = ['local', 'regional', 'national', 'international'] as const;
export type Zone = (typeof ZONES)[number];

/** Carriers price by distance band: same city, same region (state), same country, abroad. */
export function zoneOf(
  from: { city?: string; region?: string; country: string },
  to: { city?: string; region?: string; country: string },
): Zone {
  const same = (a?: string, b?: string) =>
    a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  if (from.country !== to.country) return 'international';
  if (
    same(from.city, to.city) &&
    (from.region === undefined || to.region === undefined || same(from.region, to.region))
  )
    return 'local';
  if (same(from.region, to.region)) return 'regional';
  return 'national';
}

/** Carriers bill the greater of actual and dimensional weight (L x W x H / 5,000 cm³ per kg). */
export function billableGrams(parcels: readonly Parcel[]): number {
  return parcels.reduce((sum, p) => {
    const dimensional = Math.ceil(((p.lengthCm * p.widthCm * p.heightCm) / 5000) * 1000);
    return sum + Math.max(p.weightGrams, dimensional);
  }, 0);
}

/** One carrier service's price and promise for a shipment. */
export interface Quote {
  carrier: string;
  service: string;
  level: ShippingMethod;
  /** Minor units of the rate card's currency. */
  amount: number;
  transitDays: number;
}

/**
 * Rate shopping: among the quotes at the order's service level, the cheapest; then the faster;
 * then by carrier and service name, so the same quotes always give the same choice.
 */
export function chooseQuote(quotes: readonly Quote[], level: ShippingMethod): Quote | undefined {
  return [...quotes]
    .filter((q) => q.level === level)
    .sort(
      (a, b) =>
        a.amount - b.amount ||
        a.transitDays - b.transitDays ||
        a.carrier.localeCompare(b.carrier) ||
        a.service.localeCompare(b.service),
    )[0];
}
