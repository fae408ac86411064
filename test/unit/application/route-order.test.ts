import { describe, expect, it } from 'vitest';
import type {
  HeldLine,
  InventoryLedger,
  RouteRequest,
  RouteResult,
  StoredRoutingDecision,
} from '../../../shared/application/ports';
import { routeAllocatedOrder } from '../../../shared/application/route-order';
import type { StockLevel } from '../../../shared/domain/inventory';
import type { Location } from '../../../shared/domain/location';
import { createOrder, transitionOrder } from '../../../shared/domain/order';
import { DEFAULT_ROUTING_POLICY } from '../../../shared/domain/routing';
import { fixedClock, InMemoryOrders, RecordingPublisher } from '../../support/fakes';

const location = (id: string, lat: number): Location => ({
  id,
  name: id,
  type: 'warehouse',
  address: { country: 'BR', lat, lon: -46.6 },
  active: true,
  priority: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const level = (locationId: string, onHand: number): StockLevel => ({
  sku: 'A',
  locationId,
  onHand,
  reserved: 0,
  safetyStock: 0,
  lowStockThreshold: 0,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A ledger whose location stock other orders take: each `route` call answers from `answers`. */
class ScriptedLedger {
  readonly routed: RouteRequest[] = [];
  /** The plan committed, as the real ledger keeps it: a repeat is answered with it. */
  private committed: RouteResult | undefined;
  released = 0;
  constructor(
    private readonly answers: RouteResult[],
    readonly stock: StockLevel[],
  ) {}
  async levels(): Promise<StockLevel[]> {
    return this.stock;
  }
  async level(_sku: string, locationId: string): Promise<StockLevel | undefined> {
    return this.stock.find((s) => s.locationId === locationId);
  }
  async levelsAt(places: ReadonlyArray<{ sku: string; locationId: string }>): Promise<StockLevel[]> {
    return this.stock.filter((s) => places.some((p) => p.sku === s.sku && p.locationId === s.locationId));
  }
  async routedOn(): Promise<Map<string, number>> {
    return new Map();
  }
  async route(_orderId: string, request: RouteRequest): Promise<RouteResult> {
    this.routed.push(request);
    if (this.committed) return this.committed;
    const answer = this.answers.shift() ?? { routed: true, shipments: request.shipments };
    if (answer.routed) this.committed = answer;
    // The stock someone else took is gone from the next read.
    if (!answer.routed)
      for (const s of this.stock)
        if (s.locationId === request.shipments[0]?.locationId) s.reserved = s.onHand;
    return answer;
  }
  async release(): Promise<void> {
    this.released++;
  }
  async reservationsOf(): Promise<HeldLine[]> {
    return [];
  }
}

async function setup(answers: RouteResult[]) {
  const orders = new InMemoryOrders();
  const placed = createOrder(
    {
      channel: 'web',
      customer: { email: 'a@example.com', name: 'A' },
      shippingAddress: {
        name: 'A',
        line1: 'x',
        city: 'y',
        postalCode: '1',
        country: 'BR',
        lat: -23.5,
        lon: -46.6,
      },
      lines: [{ sku: 'A', quantity: 1, unitPrice: 100 }],
      currency: 'BRL',
      payment: { method: 'pix' },
    },
    { id: 'o1', now: '2026-01-01T00:00:00.000Z' },
  );
  const allocated = transitionOrder(
    transitionOrder(placed, 'CONFIRMED', '2026-01-01T00:00:01.000Z'),
    'ALLOCATED',
    '2026-01-01T00:00:02.000Z',
  );
  await orders.create(allocated, {
    key: 'k',
    requestHash: 'h',
    result: allocated,
    createdAt: allocated.createdAt,
  });
  const ledger = new ScriptedLedger(answers, [level('near', 1), level('mid', 1), level('far', 1)]);
  const decisions = new Map<string, StoredRoutingDecision>();
  const events = new RecordingPublisher();
  const deps = {
    orders,
    ledger: ledger as unknown as InventoryLedger,
    locations: { list: async () => [location('near', -23.6), location('mid', -25), location('far', -30)] },
    policies: { current: async () => DEFAULT_ROUTING_POLICY },
    decisions: {
      save: async (d: StoredRoutingDecision) => void decisions.set(d.orderId, d),
      get: async (id: string) => decisions.get(id),
    },
    events,
    clock: fixedClock(),
  };
  return {
    deps: deps as unknown as Parameters<typeof routeAllocatedOrder>[0],
    ledger,
    decisions,
    events,
    orders,
  };
}

const taken = (at: string): RouteResult => ({
  routed: false,
  conflict: `another order took the stock of A at ${at}`,
});

describe('the Route stage use case', () => {
  it('routes again when another order took the stock first, and records each attempt', async () => {
    const { deps, ledger, decisions, events, orders } = await setup([taken('near')]);
    expect(await routeAllocatedOrder(deps, 'o1')).toEqual({
      orderId: 'o1',
      status: 'ROUTED',
      shipments: [{ orderId: 'o1', shipmentId: 'o1-1' }],
    });
    expect(ledger.routed.map((r) => r.shipments[0]?.locationId)).toEqual(['near', 'mid']);
    const decision = decisions.get('o1');
    expect(decision?.attempts).toBe(2);
    expect(decision?.notes).toContain('attempt 1: another order took the stock of A at near');
    expect((await orders.get('o1'))?.shipments).toEqual([
      { id: 'o1-1', locationId: 'mid', lines: [{ sku: 'A', quantity: 1 }] },
    ]);
    expect(events.events.map((e) => e.detailType)).toEqual(['OrderRouted']);
  });

  it('backorders the order and gives its units back when other orders took the stock of every location', async () => {
    const { deps, ledger, decisions, orders } = await setup([taken('near'), taken('mid'), taken('far')]);
    expect(await routeAllocatedOrder(deps, 'o1')).toEqual({
      orderId: 'o1',
      status: 'BACKORDERED',
      shipments: [],
    });
    expect(ledger.routed).toHaveLength(3);
    expect(ledger.released).toBe(1);
    expect(decisions.get('o1')).toMatchObject({ outcome: 'unfillable', attempts: 3 });
    expect((await orders.get('o1'))?.statusReason).toMatch(/^routing: /);
  });

  it('keeps the plan the ledger holds when retried after the ledger committed but the order update failed', async () => {
    const { deps, ledger, decisions, orders } = await setup([]);
    const update = orders.update.bind(orders);
    let failures = 1;
    orders.update = async (order) => {
      if (failures-- > 0) throw new Error('the network dropped the write');
      return update(order);
    };
    await expect(routeAllocatedOrder(deps, 'o1')).rejects.toThrow('the network dropped the write');
    // What the committed plan holds at `near` is no longer available to a fresh plan.
    for (const s of ledger.stock) if (s.locationId === 'near') s.reserved = s.onHand;
    // The retry reads ATS without the units the first attempt holds at `near`, so it would plan `mid`.
    expect(await routeAllocatedOrder(deps, 'o1')).toMatchObject({ status: 'ROUTED' });
    expect(ledger.routed.map((r) => r.shipments[0]?.locationId)).toEqual(['near', 'mid']);
    expect((await orders.get('o1'))?.shipments).toEqual([
      { id: 'o1-1', locationId: 'near', lines: [{ sku: 'A', quantity: 1 }] },
    ]);
    expect(decisions.get('o1')?.chosen?.map((s) => s.locationId)).toEqual(['near']);
  });

  it('does nothing for an order that is not ALLOCATED (a retried task after success)', async () => {
    const { deps, ledger } = await setup([]);
    await routeAllocatedOrder(deps, 'o1');
    expect(await routeAllocatedOrder(deps, 'o1')).toEqual({
      orderId: 'o1',
      status: 'ROUTED',
      shipments: [{ orderId: 'o1', shipmentId: 'o1-1' }],
    });
    expect(ledger.routed).toHaveLength(1);
  });
});
