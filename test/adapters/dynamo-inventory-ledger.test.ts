import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { stockKey } from '../../shared/adapters/aws/stock-item';
import { NothingHeld, StaleStock } from '../../shared/application/ports';
import { ConflictError } from '../../shared/domain/errors';
import { adjustStock, checkInvariants, countStock } from '../../shared/domain/inventory';
import { useOmsTable } from '../support/oms-table';

const table = useOmsTable();
let ledger: DynamoInventoryLedger;
const at = '2026-11-22T10:00:00.000Z';

beforeAll(() => {
  ledger = new DynamoInventoryLedger(table.db, 'Oms');
});

async function count(sku: string, locationId: string, onHand: number, safetyStock = 0) {
  const before = await ledger.level(sku, locationId);
  await ledger.save(before, countStock(before, { sku, locationId }, { onHand, safetyStock }, at));
}

async function invariantDrift() {
  const { levels, network, reservations } = await ledger.snapshot();
  return checkInvariants(levels, network, reservations);
}

describe('the DynamoDB inventory ledger', () => {
  it('keeps network totals as the sum of location counts', async () => {
    await count('TEE', 'sp-1', 10, 2);
    await count('TEE', 'rj-1', 5);
    await count('TEE', 'sp-1', 12, 2);
    expect((await ledger.network(['TEE'])).get('TEE')).toEqual({
      sku: 'TEE',
      onHand: 17,
      reserved: 0,
      safetyStock: 2,
    });
    expect((await ledger.levels('TEE')).map((l) => [l.locationId, l.onHand, l.version])).toEqual([
      ['rj-1', 5, 1],
      ['sp-1', 12, 2],
    ]);
  });

  it('reads several SKUs at their locations in one call, leaving out a place with no row and reading a place asked twice once', async () => {
    await count('LVL-A', 'sp-1', 7);
    await count('LVL-B', 'rj-1', 3);
    const levels = await ledger.levelsAt([
      { sku: 'LVL-A', locationId: 'sp-1' },
      { sku: 'LVL-B', locationId: 'rj-1' },
      { sku: 'LVL-B', locationId: 'sp-1' },
      // A place asked twice is read once (BatchGetItem refuses duplicate keys).
      { sku: 'LVL-A', locationId: 'sp-1' },
    ]);
    expect(levels.map((l) => [l.sku, l.locationId, l.onHand]).sort()).toEqual([
      ['LVL-A', 'sp-1', 7],
      ['LVL-B', 'rj-1', 3],
    ]);
    expect(await ledger.levelsAt([])).toEqual([]);
  });

  it('reserves exactly the stock there is: 50 units, 200 concurrent one-unit orders', async () => {
    await count('HOT', 'sp-1', 50);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.reserve(`order-hot-${i}`, [{ sku: 'HOT', quantity: 1 }])),
    );
    expect(results.filter((r) => r.reserved)).toHaveLength(50);
    const refused = results.filter((r) => !r.reserved);
    expect(refused).toHaveLength(150);
    expect(refused[0]).toEqual({
      reserved: false,
      shortages: [{ sku: 'HOT', requested: 1, available: 0, missing: 1 }],
    });
    expect((await ledger.network(['HOT'])).get('HOT')).toMatchObject({ onHand: 50, reserved: 50 });
    expect(await invariantDrift()).toEqual([]);
  });

  it('reserves all lines of an order or none, with mixed quantities over several SKUs', async () => {
    await count('A', 'sp-1', 30);
    await count('B', 'sp-1', 20);
    const orders = Array.from({ length: 60 }, (_, i) => ({
      id: `order-mix-${i}`,
      lines: [
        { sku: 'A', quantity: 1 + (i % 3) },
        { sku: 'B', quantity: 1 + (i % 2) },
      ],
    }));
    const results = await Promise.all(orders.map((o) => ledger.reserve(o.id, o.lines)));
    for (const [i, order] of orders.entries()) {
      const held = await ledger.reservationsOf(order.id);
      expect(held.length === 0 || held.length === 2, `order ${order.id} holds ${held.length} lines`).toBe(
        true,
      );
      expect(held.length === 2).toBe(results[i]?.reserved);
    }
    expect(results.some((r) => r.reserved)).toBe(true);
    expect(results.some((r) => !r.reserved)).toBe(true);
    const network = await ledger.network(['A', 'B']);
    expect(network.get('A')?.reserved).toBeLessThanOrEqual(30);
    expect(network.get('B')?.reserved).toBeLessThanOrEqual(20);
    expect(await invariantDrift()).toEqual([]);
  });

  it('does not reserve twice when the same order asks again, and releases once', async () => {
    await count('CAP', 'sp-1', 5);
    expect(await ledger.reserve('order-cap', [{ sku: 'CAP', quantity: 2 }])).toEqual({ reserved: true });
    expect(await ledger.reserve('order-cap', [{ sku: 'CAP', quantity: 2 }])).toEqual({ reserved: true });
    expect((await ledger.network(['CAP'])).get('CAP')?.reserved).toBe(2);
    await ledger.release('order-cap');
    await ledger.release('order-cap');
    expect((await ledger.network(['CAP'])).get('CAP')?.reserved).toBe(0);
    expect(await ledger.reservationsOf('order-cap')).toEqual([]);
  });

  it('refuses to take away units that orders hold, and changes nothing', async () => {
    await count('MUG', 'sp-1', 4);
    await ledger.reserve('order-mug', [{ sku: 'MUG', quantity: 3 }]);
    const before = await ledger.level('MUG', 'sp-1');
    if (!before) throw new Error('no stock row');
    await expect(ledger.save(before, adjustStock(before, -2, at))).rejects.toBeInstanceOf(ConflictError);
    expect(await ledger.level('MUG', 'sp-1')).toEqual(before);
    expect((await ledger.network(['MUG'])).get('MUG')).toMatchObject({ onHand: 4, reserved: 3 });
  });

  it('refuses a write based on a stale read', async () => {
    await count('PEN', 'sp-1', 4);
    const stale = await ledger.level('PEN', 'sp-1');
    if (!stale) throw new Error('no stock row');
    await count('PEN', 'sp-1', 6);
    await expect(ledger.save(stale, adjustStock(stale, 1, at))).rejects.toBeInstanceOf(StaleStock);
  });

  it('keeps the invariant under concurrent adjustments and reservations of one SKU', async () => {
    await count('RACE', 'sp-1', 20);
    await count('RACE', 'rj-1', 20);
    const adjust = async (locationId: string, delta: number) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const before = await ledger.level('RACE', locationId);
        if (!before) return;
        try {
          await ledger.save(before, adjustStock(before, delta, at));
          return;
        } catch (error) {
          if (error instanceof ConflictError) return;
          if (!(error instanceof StaleStock)) throw error;
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        ledger.reserve(`order-race-${i}`, [{ sku: 'RACE', quantity: 1 }]),
      ),
      ...Array.from({ length: 20 }, (_, i) => adjust(i % 2 ? 'sp-1' : 'rj-1', i % 3 === 0 ? 2 : -3)),
      ...Array.from({ length: 10 }, (_, i) => ledger.release(`order-race-${i}`)),
    ]);
    expect(await invariantDrift()).toEqual([]);
    const network = (await ledger.network(['RACE'])).get('RACE');
    expect(network?.reserved).toBeLessThanOrEqual(network?.onHand ?? 0);
  });

  describe('routing reservations onto locations', () => {
    const route = (
      orderId: string,
      shipments: Array<{ locationId: string; sku: string; quantity: number }>,
    ) =>
      ledger.route(orderId, {
        at,
        dailyCapacity: {},
        shipments: shipments.map(({ locationId, sku, quantity }) => ({
          locationId,
          lines: [{ sku, quantity }],
        })),
      });

    it('moves the network reservation onto locations, releases what was not routed, and repeats harmlessly', async () => {
      await count('ROUTE-A', 'sp-1', 3);
      await count('ROUTE-A', 'rj-1', 3);
      await ledger.reserve('order-route', [{ sku: 'ROUTE-A', quantity: 5 }]);
      const shipments = [
        { locationId: 'sp-1', sku: 'ROUTE-A', quantity: 3 },
        { locationId: 'rj-1', sku: 'ROUTE-A', quantity: 1 },
      ];
      const held = {
        routed: true,
        shipments: expect.arrayContaining(
          shipments.map(({ locationId, sku, quantity }) => ({ locationId, lines: [{ sku, quantity }] })),
        ),
      };
      expect(await route('order-route', shipments)).toEqual(held);
      expect(await route('order-route', shipments)).toEqual(held);
      expect(await ledger.reservationsOf('order-route')).toEqual(
        expect.arrayContaining([
          { sku: 'ROUTE-A', quantity: 3, locationId: 'sp-1' },
          { sku: 'ROUTE-A', quantity: 1, locationId: 'rj-1' },
        ]),
      );
      expect((await ledger.level('ROUTE-A', 'sp-1'))?.reserved).toBe(3);
      // One unit was not routed: it is back on sale.
      expect((await ledger.network(['ROUTE-A'])).get('ROUTE-A')?.reserved).toBe(4);
      expect(await invariantDrift()).toEqual([]);

      await ledger.release('order-route');
      await ledger.release('order-route');
      expect((await ledger.level('ROUTE-A', 'sp-1'))?.reserved).toBe(0);
      expect((await ledger.network(['ROUTE-A'])).get('ROUTE-A')?.reserved).toBe(0);
      expect(await ledger.reservationsOf('order-route')).toEqual([]);
      expect(await invariantDrift()).toEqual([]);
    });

    it('lets go of cancelled units exactly: at network level before routing, at the named location after, each cut once', async () => {
      await count('TRIM', 'sp-1', 5);
      await count('TRIM', 'rj-1', 5);
      await ledger.reserve('order-trim', [{ sku: 'TRIM', quantity: 6 }]);
      await ledger.holdAtMost('order-trim', [{ sku: 'TRIM', quantity: 5 }]);
      await ledger.holdAtMost('order-trim', [{ sku: 'TRIM', quantity: 5 }]);
      expect((await ledger.network(['TRIM'])).get('TRIM')?.reserved).toBe(5);
      await route('order-trim', [
        { locationId: 'sp-1', sku: 'TRIM', quantity: 3 },
        { locationId: 'rj-1', sku: 'TRIM', quantity: 2 },
      ]);
      // One unit off the rj-1 shipment, then that shipment cancelled whole: sp-1 keeps its 3.
      await ledger.holdAtMost('order-trim', [{ sku: 'TRIM', quantity: 1 }], 'rj-1');
      expect((await ledger.level('TRIM', 'rj-1'))?.reserved).toBe(1);
      await ledger.holdAtMost('order-trim', [], 'rj-1');
      await ledger.holdAtMost('order-trim', [], 'rj-1');
      expect((await ledger.level('TRIM', 'rj-1'))?.reserved).toBe(0);
      expect((await ledger.level('TRIM', 'sp-1'))?.reserved).toBe(3);
      expect((await ledger.network(['TRIM'])).get('TRIM')?.reserved).toBe(3);
      expect(await ledger.reservationsOf('order-trim')).toEqual([
        { sku: 'TRIM', quantity: 3, locationId: 'sp-1' },
      ]);
      expect((await ledger.routedOn(at.slice(0, 10))).get('rj-1')).toBe(0);
      expect(await invariantDrift()).toEqual([]);
    });

    it('refuses a routing plan made before the reservation was cut (lines cancelled meanwhile), and changes nothing', async () => {
      await count('STALE-PLAN', 'sp-1', 5);
      await ledger.reserve('order-stale-plan', [{ sku: 'STALE-PLAN', quantity: 3 }]);
      await ledger.holdAtMost('order-stale-plan', [{ sku: 'STALE-PLAN', quantity: 1 }]);
      expect(
        await route('order-stale-plan', [{ locationId: 'sp-1', sku: 'STALE-PLAN', quantity: 3 }]),
      ).toEqual({
        routed: false,
        conflict: 'the order no longer holds 3 x STALE-PLAN',
      });
      expect((await ledger.level('STALE-PLAN', 'sp-1'))?.reserved).toBe(0);
      expect(
        await route('order-stale-plan', [{ locationId: 'sp-1', sku: 'STALE-PLAN', quantity: 1 }]),
      ).toMatchObject({
        routed: true,
      });
      expect(await invariantDrift()).toEqual([]);
    });

    it('lets only one of two orders racing for the last units at a location route there, and changes nothing for the other', async () => {
      await count('LAST', 'sp-1', 2);
      await count('LAST', 'rj-1', 2);
      await ledger.reserve('order-last-1', [{ sku: 'LAST', quantity: 2 }]);
      await ledger.reserve('order-last-2', [{ sku: 'LAST', quantity: 2 }]);
      const results = await Promise.all(
        ['order-last-1', 'order-last-2'].map((id) =>
          route(id, [{ locationId: 'sp-1', sku: 'LAST', quantity: 2 }]),
        ),
      );
      expect(results.filter((r) => r.routed)).toHaveLength(1);
      expect(results.find((r) => !r.routed)).toEqual({
        routed: false,
        conflict: 'another order took the stock of LAST at sp-1',
      });
      expect((await ledger.level('LAST', 'sp-1'))?.reserved).toBe(2);
      expect((await ledger.network(['LAST'])).get('LAST')?.reserved).toBe(4);
      expect(await invariantDrift()).toEqual([]);
    });

    it("never lets a location's reservations exceed its stock: 30 orders, 10 units at one location", async () => {
      await count('SPOT', 'sp-1', 10);
      await count('SPOT', 'rj-1', 30);
      const ids = Array.from({ length: 30 }, (_, i) => `order-spot-${i}`);
      await Promise.all(ids.map((id) => ledger.reserve(id, [{ sku: 'SPOT', quantity: 1 }])));
      const results = await Promise.all(
        ids.map((id) => route(id, [{ locationId: 'sp-1', sku: 'SPOT', quantity: 1 }])),
      );
      expect(results.filter((r) => r.routed)).toHaveLength(10);
      const level = await ledger.level('SPOT', 'sp-1');
      expect(level?.reserved).toBe(10);
      expect(await invariantDrift()).toEqual([]);
    });

    it("refuses routing past a location's daily capacity, and counts what it routes per day", async () => {
      await count('CAPD', 'capd-1', 10);
      const ids = ['order-capd-1', 'order-capd-2', 'order-capd-3'];
      for (const id of ids) await ledger.reserve(id, [{ sku: 'CAPD', quantity: 1 }]);
      const results = [];
      for (const id of ids)
        results.push(
          await ledger.route(id, {
            at,
            dailyCapacity: { 'capd-1': 2 },
            shipments: [{ locationId: 'capd-1', lines: [{ sku: 'CAPD', quantity: 1 }] }],
          }),
        );
      expect(results.map((r) => r.routed)).toEqual([true, true, false]);
      expect(results[2]).toEqual({ routed: false, conflict: 'capd-1 reached its daily capacity' });
      expect((await ledger.routedOn(at.slice(0, 10))).get('capd-1')).toBe(2);
      await ledger.release('order-capd-1');
      expect((await ledger.routedOn(at.slice(0, 10))).get('capd-1')).toBe(1);
      expect(await invariantDrift()).toEqual([]);
    });

    it("ships a location's units once: onHand and the reservation go down together, and a later release gives back only what was not shipped", async () => {
      await count('SHIP', 'sp-1', 5);
      await count('SHIP', 'rj-1', 5);
      await ledger.reserve('order-ship', [{ sku: 'SHIP', quantity: 4 }]);
      await route('order-ship', [
        { locationId: 'sp-1', sku: 'SHIP', quantity: 3 },
        { locationId: 'rj-1', sku: 'SHIP', quantity: 1 },
      ]);
      expect(await ledger.ship('order-ship', 'sp-1', at)).toBe(true);
      expect(await ledger.ship('order-ship', 'sp-1', at)).toBe(false);
      expect(await ledger.level('SHIP', 'sp-1')).toMatchObject({ onHand: 2, reserved: 0 });
      expect((await ledger.network(['SHIP'])).get('SHIP')).toMatchObject({ onHand: 7, reserved: 1 });
      expect(await ledger.reservationsOf('order-ship')).toEqual([
        { sku: 'SHIP', quantity: 1, locationId: 'rj-1' },
      ]);
      expect(await invariantDrift()).toEqual([]);

      await ledger.release('order-ship');
      expect((await ledger.network(['SHIP'])).get('SHIP')).toMatchObject({ onHand: 7, reserved: 0 });
      expect(await ledger.level('SHIP', 'rj-1')).toMatchObject({ onHand: 5, reserved: 0 });
      expect(await invariantDrift()).toEqual([]);

      await ledger.reserve('order-ship-all', [{ sku: 'SHIP', quantity: 1 }]);
      await route('order-ship-all', [{ locationId: 'rj-1', sku: 'SHIP', quantity: 1 }]);
      await ledger.ship('order-ship-all', 'rj-1', at);
      await ledger.release('order-ship-all');
      expect((await ledger.network(['SHIP'])).get('SHIP')).toMatchObject({ onHand: 6, reserved: 0 });
      expect(await invariantDrift()).toEqual([]);
    });

    it('answers a repeated route with the plan it holds, not the one the repeat asks for', async () => {
      await count('HELD-PLAN', 'near-1', 1);
      await count('HELD-PLAN', 'far-1', 1);
      await ledger.reserve('order-held-plan', [{ sku: 'HELD-PLAN', quantity: 1 }]);
      await route('order-held-plan', [{ locationId: 'near-1', sku: 'HELD-PLAN', quantity: 1 }]);
      expect(
        await route('order-held-plan', [{ locationId: 'far-1', sku: 'HELD-PLAN', quantity: 1 }]),
      ).toEqual({
        routed: true,
        shipments: [{ locationId: 'near-1', lines: [{ sku: 'HELD-PLAN', quantity: 1 }] }],
      });
      expect((await ledger.level('HELD-PLAN', 'far-1'))?.reserved).toBe(0);
    });

    it('refuses to ship from a location where the order holds nothing, and changes nothing', async () => {
      await count('NOTHING', 'sp-1', 2);
      await count('NOTHING', 'rj-1', 2);
      await ledger.reserve('order-nothing', [{ sku: 'NOTHING', quantity: 1 }]);
      await route('order-nothing', [{ locationId: 'sp-1', sku: 'NOTHING', quantity: 1 }]);
      await expect(ledger.ship('order-nothing', 'rj-1', at)).rejects.toBeInstanceOf(NothingHeld);
      await expect(ledger.ship('never-placed', 'sp-1', at)).rejects.toBeInstanceOf(NothingHeld);
      expect(await ledger.level('NOTHING', 'rj-1')).toMatchObject({ onHand: 2, reserved: 0 });
      expect(await ledger.ship('order-nothing', 'sp-1', at)).toBe(true);
      // The repeat of a ship that happened is a no-op, not an error: the record says it shipped.
      expect(await ledger.ship('order-nothing', 'sp-1', at)).toBe(false);
      expect(await ledger.level('NOTHING', 'sp-1')).toMatchObject({ onHand: 1, reserved: 0 });
      expect(await invariantDrift()).toEqual([]);
    });

    it("moves a routed reservation's daily-capacity count with its units, and refuses a target at capacity", async () => {
      const day = at.slice(0, 10);
      await count('MOVE', 'mv-from', 2);
      await count('MOVE', 'mv-to', 2);
      await count('MOVE', 'mv-full', 2);
      for (const id of ['order-move', 'order-move-2'])
        await ledger.reserve(id, [{ sku: 'MOVE', quantity: 1 }]);
      await route('order-move', [{ locationId: 'mv-from', sku: 'MOVE', quantity: 1 }]);
      await route('order-move-2', [{ locationId: 'mv-full', sku: 'MOVE', quantity: 1 }]);
      expect(
        await ledger.moveRouted('order-move', { from: 'mv-from', to: 'mv-full', at, dailyCapacity: 1 }),
      ).toEqual({
        routed: false,
        conflict: 'mv-full reached its daily capacity',
      });
      expect(
        await ledger.moveRouted('order-move', { from: 'mv-from', to: 'mv-to', at, dailyCapacity: 1 }),
      ).toEqual({
        routed: true,
        shipments: [{ locationId: 'mv-to', lines: [{ sku: 'MOVE', quantity: 1 }] }],
      });
      const load = await ledger.routedOn(day);
      expect([load.get('mv-from'), load.get('mv-to'), load.get('mv-full')]).toEqual([0, 1, 1]);
      // A retried move finds the units moved and counts nothing twice.
      expect((await ledger.moveRouted('order-move', { from: 'mv-from', to: 'mv-to', at })).routed).toBe(true);
      expect((await ledger.routedOn(day)).get('mv-to')).toBe(1);
      expect(await invariantDrift()).toEqual([]);
    });

    it('gives up releasing after a bounded number of looks when every step is refused, instead of recursing', {
      timeout: 20_000,
    }, async () => {
      await count('VANISH', 'gone-1', 1);
      await ledger.reserve('order-vanish', [{ sku: 'VANISH', quantity: 1 }]);
      await route('order-vanish', [{ locationId: 'gone-1', sku: 'VANISH', quantity: 1 }]);
      // A stock row deleted behind the ledger's back: every unroute step is refused.
      await table.db.send(new DeleteCommand({ TableName: 'Oms', Key: stockKey('VANISH', 'gone-1') }));
      await expect(ledger.release('order-vanish')).rejects.toThrow(/not released after 10 looks/);
    });
  });
});
