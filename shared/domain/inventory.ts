import { ConflictError } from './errors';

/** Stock of one SKU at one location. All quantities are whole units. */
export interface StockLevel {
  sku: string;
  locationId: string;
  onHand: number;
  /** Units held for orders routed to this location. */
  reserved: number;
  /** Units kept back from sale (display stock, shrinkage buffer). */
  safetyStock: number;
  /** ATS below this raises StockLow. */
  lowStockThreshold: number;
  /** Units that came back damaged: counted here, never in onHand, never sold. */
  quarantined?: number;
  version: number;
  updatedAt: string;
}

/** Network-wide stock of one SKU: the sums over its locations plus reservations not yet routed. */
export interface NetworkStock {
  sku: string;
  onHand: number;
  /** Every unit held for an order, routed to a location or not. */
  reserved: number;
  safetyStock: number;
}

/** Available to sell: onHand - reserved - safetyStock, never below 0. */
export function availableToSell(stock: { onHand: number; reserved: number; safetyStock: number }): number {
  return Math.max(0, stock.onHand - stock.reserved - stock.safetyStock);
}

export interface StockCount {
  onHand: number;
  safetyStock?: number;
  lowStockThreshold?: number;
}

function assertCovers(level: StockLevel, onHand: number): void {
  if (onHand < level.reserved) {
    throw new ConflictError(
      `${level.sku} at ${level.locationId}: ${onHand} on hand would not cover the ${level.reserved} reserved there`,
      { sku: level.sku, locationId: level.locationId, reserved: level.reserved, onHand },
    );
  }
}

/** A cycle count: sets onHand (and optionally thresholds) at a location; refuses to uncover reservations. */
export function countStock(
  current: StockLevel | undefined,
  key: { sku: string; locationId: string },
  count: StockCount,
  at: string,
): StockLevel {
  const base: StockLevel = current ?? {
    ...key,
    onHand: 0,
    reserved: 0,
    safetyStock: 0,
    lowStockThreshold: 0,
    version: 0,
    updatedAt: at,
  };
  assertCovers(base, count.onHand);
  return {
    ...base,
    onHand: count.onHand,
    safetyStock: count.safetyStock ?? base.safetyStock,
    lowStockThreshold: count.lowStockThreshold ?? base.lowStockThreshold,
    version: base.version + 1,
    updatedAt: at,
  };
}

/** Adds `delta` units (negative for damage, shrinkage) at a location; refuses to uncover reservations. */
export function adjustStock(current: StockLevel, delta: number, at: string): StockLevel {
  const onHand = current.onHand + delta;
  assertCovers(current, onHand);
  return { ...current, onHand, version: current.version + 1, updatedAt: at };
}

/** Returned units arrive: resellable ones go back on hand (and on sale), damaged ones into quarantine. */
export function receiveReturned(
  current: StockLevel,
  units: { resellable: number; damaged: number },
  at: string,
): StockLevel {
  return {
    ...current,
    onHand: current.onHand + units.resellable,
    ...(units.damaged > 0 || current.quarantined !== undefined
      ? { quarantined: (current.quarantined ?? 0) + units.damaged }
      : {}),
    version: current.version + 1,
    updatedAt: at,
  };
}

export const StockSignal = {
  LOW: 'StockLow',
  OUT: 'StockOut',
  REPLENISHED: 'StockReplenished',
} as const;
export type StockSignal = (typeof StockSignal)[keyof typeof StockSignal];

/**
 * Threshold crossings between two states of the same stock: StockOut when ATS reaches 0,
 * StockLow when it falls below the threshold (but not to 0), StockReplenished when it climbs
 * back to the threshold or above. No signal while it stays on one side.
 */
export function stockSignals(
  before: { onHand: number; reserved: number; safetyStock: number } | undefined,
  after: { onHand: number; reserved: number; safetyStock: number; lowStockThreshold: number },
): StockSignal[] {
  const was = before ? availableToSell(before) : 0;
  const now = availableToSell(after);
  const threshold = after.lowStockThreshold;
  if (now === 0 && was > 0) return [StockSignal.OUT];
  if (now > 0 && now < threshold && was >= threshold) return [StockSignal.LOW];
  if (now >= threshold && now > 0 && (was < threshold || was === 0)) return [StockSignal.REPLENISHED];
  return [];
}

export interface ReservationLine {
  sku: string;
  quantity: number;
}

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
  missing: number;
}

/** Lines the network cannot cover now; empty when every line can be reserved. */
export function shortages(lines: ReservationLine[], network: Map<string, NetworkStock>): Shortage[] {
  return lines.flatMap((line) => {
    const stock = network.get(line.sku);
    const available = stock ? availableToSell(stock) : 0;
    return available >= line.quantity
      ? []
      : [{ sku: line.sku, requested: line.quantity, available, missing: line.quantity - available }];
  });
}

/** One broken rule found by the invariant check. */
export interface Drift {
  sku: string;
  locationId?: string;
  rule: string;
  expected: number;
  actual: number;
}

/**
 * Checks the stock books: for every location, onHand = ATS + reserved + safety stock held and
 * nothing negative; for every SKU, the network row equals the sum of its locations and its
 * reserved total equals the live reservation records.
 */
export function checkInvariants(
  levels: StockLevel[],
  network: NetworkStock[],
  reservations: Array<{ sku: string; locationId?: string; quantity: number }>,
): Drift[] {
  const drift: Drift[] = [];
  for (const level of levels) {
    for (const field of ['onHand', 'reserved', 'safetyStock'] as const) {
      if (level[field] < 0)
        drift.push({
          sku: level.sku,
          locationId: level.locationId,
          rule: `${field} >= 0`,
          expected: 0,
          actual: level[field],
        });
    }
    if (level.reserved > level.onHand) {
      drift.push({
        sku: level.sku,
        locationId: level.locationId,
        rule: 'reserved <= onHand',
        expected: level.onHand,
        actual: level.reserved,
      });
    }
    const routed = reservations
      .filter((r) => r.sku === level.sku && r.locationId === level.locationId)
      .reduce((sum, r) => sum + r.quantity, 0);
    if (routed !== level.reserved) {
      drift.push({
        sku: level.sku,
        locationId: level.locationId,
        rule: 'reserved = sum of reservations routed here',
        expected: routed,
        actual: level.reserved,
      });
    }
  }
  for (const row of network) {
    const own = levels.filter((l) => l.sku === row.sku);
    const onHand = own.reduce((sum, l) => sum + l.onHand, 0);
    const safety = own.reduce((sum, l) => sum + l.safetyStock, 0);
    const reserved = reservations.filter((r) => r.sku === row.sku).reduce((sum, r) => sum + r.quantity, 0);
    if (row.onHand !== onHand)
      drift.push({
        sku: row.sku,
        rule: 'network onHand = sum of locations',
        expected: onHand,
        actual: row.onHand,
      });
    if (row.safetyStock !== safety) {
      drift.push({
        sku: row.sku,
        rule: 'network safetyStock = sum of locations',
        expected: safety,
        actual: row.safetyStock,
      });
    }
    if (row.reserved !== reserved)
      drift.push({
        sku: row.sku,
        rule: 'network reserved = sum of reservations',
        expected: reserved,
        actual: row.reserved,
      });
    if (row.reserved > row.onHand)
      drift.push({
        sku: row.sku,
        rule: 'network reserved <= onHand',
        expected: row.onHand,
        actual: row.reserved,
      });
  }
  return drift;
}
