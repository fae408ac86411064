import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Location } from '../../../shared/domain/location';
import {
  type Candidate,
  DEFAULT_ROUTING_POLICY,
  type RoutingOrder,
  type RoutingPolicy,
  routeOrder,
} from '../../../shared/domain/routing';

const location = (id: string, lat: number, lon: number, over: Partial<Location> = {}): Location => ({
  id,
  name: id,
  type: 'warehouse',
  address: { country: 'BR', lat, lon },
  active: true,
  priority: 10,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const candidate = (loc: Location, ats: Record<string, number>, ordersToday = 0): Candidate => ({
  location: loc,
  ats,
  ordersToday,
});

// The customer is in São Paulo.
const order = (
  lines: RoutingOrder['lines'],
  address: Partial<RoutingOrder['shippingAddress']> = {},
): RoutingOrder => ({
  id: 'o1',
  lines,
  shippingAddress: { country: 'BR', lat: -23.55, lon: -46.63, ...address },
});
const policy = (over: Partial<RoutingPolicy> = {}): RoutingPolicy => ({ ...DEFAULT_ROUTING_POLICY, ...over });

const campinas = location('campinas', -22.91, -47.06); // ~85 km
const rio = location('rio', -22.9, -43.2); // ~360 km
const recife = location('recife', -8.05, -34.9); // ~2,100 km

describe('routing', () => {
  it('sends the order to the nearest location when all criteria but distance are equal', () => {
    const decision = routeOrder(
      order([{ sku: 'A', quantity: 1, unitPrice: 1000 }]),
      [candidate(rio, { A: 5 }), candidate(campinas, { A: 5 })],
      policy(),
    );
    expect(decision.chosen).toEqual([
      { locationId: 'campinas', lines: [{ sku: 'A', quantity: 1 }], value: 1000 },
    ]);
    expect(decision.runnerUp?.[0]?.locationId).toBe('rio');
    expect(decision.policyVersion).toBe(1);
    expect(decision.candidates.map((c) => c.scores?.distanceKm)).toEqual([
      expect.closeTo(84, -1),
      expect.closeTo(357, -1),
    ]);
  });

  it('sends it to a cheaper location when cost outweighs distance', () => {
    const cheapRio = policy({
      weights: { distance: 0.1, cost: 0.9, priority: 0 },
      costModel: {
        default: { base: 2000, perKm: 2, perItem: 150 },
        byLocation: { rio: { base: 100, perKm: 0.5, perItem: 50 } },
      },
    });
    const decision = routeOrder(
      order([{ sku: 'A', quantity: 1, unitPrice: 1000 }]),
      [candidate(campinas, { A: 5 }), candidate(rio, { A: 5 })],
      cheapRio,
    );
    expect(decision.chosen?.[0]?.locationId).toBe('rio');
  });

  it('breaks ties by location id, every time', () => {
    const twinA = location('b-twin', -22.91, -47.06);
    const twinB = location('a-twin', -22.91, -47.06);
    const input = order([{ sku: 'A', quantity: 1, unitPrice: 1000 }]);
    const decision = routeOrder(input, [candidate(twinA, { A: 1 }), candidate(twinB, { A: 1 })], policy());
    expect(decision.chosen?.[0]?.locationId).toBe('a-twin');
    expect(routeOrder(input, [candidate(twinB, { A: 1 }), candidate(twinA, { A: 1 })], policy())).toEqual(
      decision,
    );
  });

  it('records the filter that dropped each candidate', () => {
    const decision = routeOrder(
      order([{ sku: 'A', quantity: 1, unitPrice: 1000 }]),
      [
        candidate(location('closed', -23, -46, { active: false }), { A: 9 }),
        candidate(location('shop', -23, -46, { type: 'store' }), { A: 9 }),
        candidate(location('busy', -23, -46, { dailyCapacity: 10 }), { A: 9 }, 10),
        candidate(recife, { A: 9 }),
        candidate(location('empty', -23, -46), { A: 0 }),
        candidate(campinas, { A: 9 }),
      ],
      policy({
        filters: {
          activeOnly: true,
          locationTypes: ['warehouse'],
          maxDistanceKm: 1000,
          respectDailyCapacity: true,
        },
      }),
    );
    expect(
      Object.fromEntries(decision.candidates.map((c) => [c.locationId, c.droppedBy ?? 'eligible'])),
    ).toEqual({
      busy: 'daily capacity reached',
      campinas: 'eligible',
      closed: 'inactive',
      empty: 'no stock of any line',
      recife: 'farther than 1000 km',
      shop: 'type store not allowed',
    });
  });

  it('splits an order no single location can fill, within maxShipments', () => {
    const decision = routeOrder(
      order([
        { sku: 'A', quantity: 2, unitPrice: 1000 },
        { sku: 'B', quantity: 1, unitPrice: 500 },
      ]),
      [candidate(campinas, { A: 2 }), candidate(rio, { B: 3 })],
      policy(),
    );
    expect(decision.outcome).toBe('routed');
    expect(decision.chosen).toEqual([
      { locationId: 'campinas', lines: [{ sku: 'A', quantity: 2 }], value: 2000 },
      { locationId: 'rio', lines: [{ sku: 'B', quantity: 1 }], value: 500 },
    ]);
    expect(decision.notes).toContain('no single location can fill the order: split into 2 shipments');
  });

  it('waits (or ships partially, as the policy says) when the order would need more shipments than allowed', () => {
    const input = order([
      { sku: 'A', quantity: 1, unitPrice: 1000 },
      { sku: 'B', quantity: 1, unitPrice: 1000 },
    ]);
    const candidates = [candidate(campinas, { A: 1 }), candidate(rio, { B: 1 })];
    const one = { ...DEFAULT_ROUTING_POLICY.split, maxShipments: 1 };
    const wait = routeOrder(input, candidates, policy({ split: one }));
    expect(wait).toMatchObject({
      outcome: 'unfillable',
      missing: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    });
    expect(wait.chosen).toBeUndefined();
    expect(wait.notes).toContain('the order needs 2 shipments, more than the 1 allowed');
    const partial = routeOrder(
      input,
      candidates,
      policy({ split: { ...one, whenUnfillable: 'shipPartial' } }),
    );
    expect(partial).toMatchObject({
      outcome: 'partial',
      chosen: [{ locationId: 'campinas' }],
      missing: [{ sku: 'B', quantity: 1 }],
    });
  });

  it('refuses a shipment under the minimum value and says why', () => {
    const decision = routeOrder(
      order([
        { sku: 'A', quantity: 1, unitPrice: 5000 },
        { sku: 'B', quantity: 1, unitPrice: 100 },
      ]),
      [candidate(campinas, { A: 1 }), candidate(rio, { B: 1 })],
      policy({ split: { ...DEFAULT_ROUTING_POLICY.split, minShipmentValue: 1000 } }),
    );
    expect(decision.outcome).toBe('unfillable');
    expect(decision.notes).toContain('a shipment would be worth less than the minimum of 1000');
  });

  it('uses what is known when the address has no coordinates, and says so', () => {
    const sp = location('sp-cd', -23.5, -46.6, {
      address: { country: 'BR', region: 'SP', lat: -23.5, lon: -46.6 },
    });
    const rj = location('rj-cd', -22.9, -43.2, {
      address: { country: 'BR', region: 'RJ', lat: -22.9, lon: -43.2 },
    });
    const decision = routeOrder(
      order([{ sku: 'A', quantity: 1, unitPrice: 1000 }], { lat: undefined, lon: undefined, region: 'SP' }),
      [candidate(rj, { A: 1 }), candidate(sp, { A: 1 })],
      policy(),
    );
    expect(decision.chosen?.[0]?.locationId).toBe('sp-cd');
    expect(decision.candidates.map((c) => c.distanceBasis)).toEqual(['country', 'region']);
    expect(decision.notes[0]).toContain('no coordinates');
  });
});

describe('routing properties', () => {
  const skus = ['A', 'B', 'C'];
  const arbitraryCandidates = fc.uniqueArray(
    fc.record({
      id: fc.constantFrom('l1', 'l2', 'l3', 'l4', 'l5'),
      lat: fc.double({ min: -30, max: -5, noNaN: true }),
      lon: fc.double({ min: -60, max: -35, noNaN: true }),
      ats: fc.record({ A: fc.nat(6), B: fc.nat(6), C: fc.nat(6) }),
      priority: fc.nat(20),
    }),
    { selector: (c) => c.id, minLength: 1, maxLength: 5 },
  );
  const arbitraryLines = fc.uniqueArray(
    fc.record({
      sku: fc.constantFrom(...skus),
      quantity: fc.integer({ min: 1, max: 8 }),
      unitPrice: fc.integer({ min: 0, max: 5000 }),
    }),
    { selector: (l) => l.sku, minLength: 1, maxLength: 3 },
  );
  const arbitraryPolicy = fc.record({
    maxShipments: fc.integer({ min: 1, max: 4 }),
    preferSingleShipment: fc.boolean(),
    whenUnfillable: fc.constantFrom('backorder' as const, 'shipPartial' as const),
  });
  const build = (
    cs: Array<{ id: string; lat: number; lon: number; ats: Record<string, number>; priority: number }>,
  ) => cs.map((c) => candidate(location(c.id, c.lat, c.lon, { priority: c.priority }), c.ats));

  it('never assigns more than a location has, covers every line or says what is missing, and is deterministic', () => {
    fc.assert(
      fc.property(arbitraryCandidates, arbitraryLines, arbitraryPolicy, (cs, lines, split) => {
        const candidates = build(cs);
        const p = policy({ split: { ...DEFAULT_ROUTING_POLICY.split, ...split } });
        const decision = routeOrder(order(lines), candidates, p);
        const planned = decision.chosen ?? [];
        expect(planned.length).toBeLessThanOrEqual(split.maxShipments);
        for (const shipment of planned) {
          const ats = candidates.find((c) => c.location.id === shipment.locationId)?.ats ?? {};
          for (const line of shipment.lines) expect(line.quantity).toBeLessThanOrEqual(ats[line.sku] ?? 0);
        }
        for (const line of lines) {
          const shipped = planned
            .flatMap((s) => s.lines)
            .filter((l) => l.sku === line.sku)
            .reduce((n, l) => n + l.quantity, 0);
          const missing = decision.missing.find((m) => m.sku === line.sku)?.quantity ?? 0;
          expect(shipped + missing).toBe(line.quantity);
        }
        expect(decision.outcome === 'routed').toBe(decision.missing.length === 0);
        expect(routeOrder(order(lines), [...candidates].reverse(), p)).toEqual(decision);
      }),
      { numRuns: 300 },
    );
  });
});
