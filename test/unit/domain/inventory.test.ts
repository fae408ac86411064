import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors';
import {
  adjustStock,
  availableToSell,
  checkInvariants,
  countStock,
  type NetworkStock,
  type StockLevel,
  shortages,
  stockSignals,
} from '../../../shared/domain/inventory';

const at = '2026-11-22T10:00:00.000Z';
const level = (over: Partial<StockLevel> = {}): StockLevel => ({
  sku: 'MUG',
  locationId: 'sp-1',
  onHand: 10,
  reserved: 0,
  safetyStock: 0,
  lowStockThreshold: 3,
  version: 1,
  updatedAt: at,
  ...over,
});
const stock = (onHand: number, reserved = 0, safetyStock = 0, lowStockThreshold = 3) => ({
  onHand,
  reserved,
  safetyStock,
  lowStockThreshold,
});

describe('available to sell', () => {
  it('is onHand minus reserved minus safety stock', () => {
    expect(availableToSell(stock(10, 3, 2))).toBe(5);
  });

  it('is never below 0', () => {
    expect(availableToSell(stock(4, 3, 2))).toBe(0);
  });
});

describe('counting and adjusting stock at a location', () => {
  it('creates a stock row from a first count', () => {
    expect(
      countStock(
        undefined,
        { sku: 'MUG', locationId: 'sp-1' },
        { onHand: 12, safetyStock: 2, lowStockThreshold: 4 },
        at,
      ),
    ).toMatchObject({
      onHand: 12,
      reserved: 0,
      safetyStock: 2,
      lowStockThreshold: 4,
      version: 1,
    });
  });

  it('keeps the thresholds a count does not mention', () => {
    const counted = countStock(level({ safetyStock: 1, lowStockThreshold: 5 }), level(), { onHand: 7 }, at);
    expect(counted).toMatchObject({ onHand: 7, safetyStock: 1, lowStockThreshold: 5, version: 2 });
  });

  it('refuses a count or an adjustment that would leave reservations uncovered', () => {
    expect(() => countStock(level({ reserved: 6 }), level(), { onHand: 5 }, at)).toThrow(ConflictError);
    expect(() => adjustStock(level({ onHand: 10, reserved: 6 }), -5, at)).toThrow(ConflictError);
    expect(adjustStock(level({ onHand: 10, reserved: 6 }), -4, at).onHand).toBe(6);
  });
});

describe('stock signals', () => {
  it('says StockOut when ATS reaches 0', () => {
    expect(stockSignals(stock(2), stock(0))).toEqual(['StockOut']);
  });

  it('says StockLow when ATS falls below the threshold but not to 0', () => {
    expect(stockSignals(stock(5), stock(2))).toEqual(['StockLow']);
  });

  it('says StockReplenished when ATS climbs back to the threshold', () => {
    expect(stockSignals(stock(0), stock(3))).toEqual(['StockReplenished']);
    expect(stockSignals(stock(1), stock(8))).toEqual(['StockReplenished']);
  });

  it('says nothing while ATS stays on one side of the threshold', () => {
    expect(stockSignals(stock(10), stock(8))).toEqual([]);
    expect(stockSignals(stock(2), stock(1))).toEqual([]);
    expect(stockSignals(stock(0), stock(0))).toEqual([]);
  });

  it('counts reservations and safety stock, not just onHand', () => {
    expect(stockSignals(stock(10, 0), stock(10, 10))).toEqual(['StockOut']);
    expect(stockSignals(stock(10, 0, 0), stock(10, 0, 8))).toEqual(['StockLow']);
  });
});

describe('shortages', () => {
  const network = new Map<string, NetworkStock>([
    ['MUG', { sku: 'MUG', onHand: 10, reserved: 8, safetyStock: 0 }],
    ['CAP', { sku: 'CAP', onHand: 5, reserved: 0, safetyStock: 1 }],
  ]);

  it('is empty when every line can be reserved', () => {
    expect(
      shortages(
        [
          { sku: 'MUG', quantity: 2 },
          { sku: 'CAP', quantity: 4 },
        ],
        network,
      ),
    ).toEqual([]);
  });

  it('names each line that cannot, with what is missing; an unknown SKU has nothing', () => {
    expect(
      shortages(
        [
          { sku: 'MUG', quantity: 3 },
          { sku: 'HAT', quantity: 1 },
        ],
        network,
      ),
    ).toEqual([
      { sku: 'MUG', requested: 3, available: 2, missing: 1 },
      { sku: 'HAT', requested: 1, available: 0, missing: 1 },
    ]);
  });
});

describe('invariant check', () => {
  it('is clean when locations, network rows and reservations agree', () => {
    const levels = [
      level({ onHand: 10, reserved: 2 }),
      level({ locationId: 'rj-1', onHand: 5, safetyStock: 1 }),
    ];
    const network = [{ sku: 'MUG', onHand: 15, reserved: 5, safetyStock: 1 }];
    const reservations = [
      { sku: 'MUG', locationId: 'sp-1', quantity: 2 },
      { sku: 'MUG', quantity: 3 },
    ];
    expect(checkInvariants(levels, network, reservations)).toEqual([]);
  });

  it('reports each drift with the rule, the expected and the actual value', () => {
    const levels = [level({ onHand: 3, reserved: 4 })];
    const network = [{ sku: 'MUG', onHand: 4, reserved: 4, safetyStock: 0 }];
    const drift = checkInvariants(levels, network, [{ sku: 'MUG', locationId: 'sp-1', quantity: 1 }]);
    expect(drift).toEqual(
      expect.arrayContaining([
        { sku: 'MUG', locationId: 'sp-1', rule: 'reserved <= onHand', expected: 3, actual: 4 },
        {
          sku: 'MUG',
          locationId: 'sp-1',
          rule: 'reserved = sum of reservations routed here',
          expected: 1,
          actual: 4,
        },
        { sku: 'MUG', rule: 'network onHand = sum of locations', expected: 3, actual: 4 },
        { sku: 'MUG', rule: 'network reserved = sum of reservations', expected: 1, actual: 4 },
      ]),
    );
  });
});
