import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants } from '../../shared/domain/inventory';
import { DEFAULT_ROUTING_POLICY } from '../../shared/domain/routing';
import { eventually, request } from '../support/http';
import { newKey, placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;
const { version: _version, ...defaults } = DEFAULT_ROUTING_POLICY;

/** São Paulo customer; Campinas is ~90 km away, Rio ~360 km. */
const near = { id: 'rs-campinas', city: 'Campinas', lat: -22.91, lon: -47.06 };
const far = { id: 'rs-rio', city: 'Rio de Janeiro', lat: -22.9, lon: -43.2 };

async function stock(location: typeof near, sku: string, onHand: number, lowStockThreshold = 0) {
  await request(api(), 'PUT', `/locations/${location.id}`, {
    body: {
      name: location.city,
      type: 'warehouse',
      address: { city: location.city, country: 'BR', lat: location.lat, lon: location.lon },
    },
  });
  const reply = await request(api(), 'PUT', `/inventory/${sku}/locations/${location.id}`, {
    body: { onHand, lowStockThreshold },
    headers: { 'idempotency-key': newKey() },
  });
  expect(reply.status).toBeLessThan(300);
}

const place = (lines: Array<{ sku: string; quantity: number }>) => placeLines(api(), lines);

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const routing = async (id: string) => (await request(api(), 'GET', `/orders/${id}/routing`)).body;

async function setPolicy(split: Partial<typeof defaults.split>) {
  const current = await request(api(), 'GET', '/routing/policy');
  const saved = await request(api(), 'PUT', '/routing/policy', {
    body: { ...defaults, split: { ...defaults.split, ...split }, expectedVersion: current.body.version },
  });
  expect(saved.status).toBe(200);
}

async function drift() {
  const ledger = new DynamoInventoryLedger(DynamoDBDocumentClient.from(env.aws.dynamodb), env.aws.tableName);
  const { levels, network, reservations } = await ledger.snapshot();
  return checkInvariants(levels, network, reservations);
}

afterEach(() => setPolicy({}));

describe('the Route stage', () => {
  it('routes an allocated order to the nearest location with stock, holds the units there, and explains why', async () => {
    await stock(near, 'RS-NEAR', 5);
    await stock(far, 'RS-NEAR', 5);
    const id = await place([{ sku: 'RS-NEAR', quantity: 2 }]);
    await env.cloud.idle();

    const routed = await order(id);
    expect(routed.status).toBe('FULFILLING');
    expect(routed.shipments).toEqual([
      { id: `${id}-1`, locationId: near.id, lines: [{ sku: 'RS-NEAR', quantity: 2 }] },
    ]);
    const levels = (await request(api(), 'GET', '/inventory/RS-NEAR')).body.locations as Array<{
      locationId: string;
      reserved: number;
    }>;
    expect(levels.find((l) => l.locationId === near.id)?.reserved).toBe(2);
    expect(levels.find((l) => l.locationId === far.id)?.reserved).toBe(0);

    const decision = await routing(id);
    expect(decision).toMatchObject({
      orderId: id,
      outcome: 'routed',
      policyVersion: expect.any(Number),
      attempts: 1,
      chosen: [{ locationId: near.id }],
      runnerUp: [{ locationId: far.id }],
    });
    const explanation = decision.explanation as string[];
    expect(explanation[0]).toMatch(/^Ships from rs-campinas \(2 x RS-NEAR\)/);
    expect(explanation).toContain('Runner-up: rs-rio (2 x RS-NEAR).');
    expect(await drift()).toEqual([]);
  });

  it('splits an order no single location can fill into shipments from several locations', async () => {
    await stock(near, 'RS-SPLIT-A', 3);
    await stock(far, 'RS-SPLIT-B', 3);
    const id = await place([
      { sku: 'RS-SPLIT-A', quantity: 2 },
      { sku: 'RS-SPLIT-B', quantity: 1 },
    ]);
    await env.cloud.idle();
    const routed = await order(id);
    expect(routed.status).toBe('FULFILLING');
    expect(routed.shipments).toEqual([
      { id: `${id}-1`, locationId: near.id, lines: [{ sku: 'RS-SPLIT-A', quantity: 2 }] },
      { id: `${id}-2`, locationId: far.id, lines: [{ sku: 'RS-SPLIT-B', quantity: 1 }] },
    ]);
    expect((await routing(id)).notes).toContain(
      'no single location can fill the order: split into 2 shipments',
    );
  });

  it('backorders an order that needs more shipments than the policy allows, says why, gives its units back, and routes it when stock makes one shipment possible', async () => {
    await setPolicy({ maxShipments: 1 });
    await stock(near, 'RS-WAIT-A', 1);
    await stock(far, 'RS-WAIT-B', 1);
    const id = await place([
      { sku: 'RS-WAIT-A', quantity: 1 },
      { sku: 'RS-WAIT-B', quantity: 1 },
    ]);
    await env.cloud.idle();
    const waiting = await order(id);
    expect(waiting.status).toBe('BACKORDERED');
    expect(waiting.statusReason).toBe('routing: the order needs 2 shipments, more than the 1 allowed');
    expect(await routing(id)).toMatchObject({
      outcome: 'unfillable',
      missing: [
        { sku: 'RS-WAIT-A', quantity: 1 },
        { sku: 'RS-WAIT-B', quantity: 1 },
      ],
    });
    const network = await request(api(), 'GET', '/inventory/RS-WAIT-A');
    expect(network.body.network).toMatchObject({ reserved: 0, ats: 1 });

    // Stock of the other SKU arrives at Campinas: one shipment can now carry the whole order.
    await stock(near, 'RS-WAIT-B', 1);
    await eventually(async () => ((await order(id)).status === 'FULFILLING' ? true : undefined), 10_000);
    expect((await order(id)).shipments).toEqual([
      {
        id: `${id}-1`,
        locationId: near.id,
        lines: [
          { sku: 'RS-WAIT-A', quantity: 1 },
          { sku: 'RS-WAIT-B', quantity: 1 },
        ],
      },
    ]);
    await env.cloud.idle();
    expect(await drift()).toEqual([]);
  });

  it('ships partially when the policy says so, giving back what is not shipped', async () => {
    await setPolicy({ maxShipments: 1, whenUnfillable: 'shipPartial', preferSingleShipment: true });
    await stock(near, 'RS-PART-A', 2);
    await stock(far, 'RS-PART-B', 2);
    const id = await place([
      { sku: 'RS-PART-A', quantity: 2 },
      { sku: 'RS-PART-B', quantity: 1 },
    ]);
    await env.cloud.idle();
    const routed = await order(id);
    expect(routed.timeline).toContainEqual(
      expect.objectContaining({ status: 'ROUTED', reason: 'shipping partially: 1 x RS-PART-B not shipped' }),
    );
    expect(routed.shipments).toEqual([
      { id: `${id}-1`, locationId: near.id, lines: [{ sku: 'RS-PART-A', quantity: 2 }] },
    ]);
    const partB = await request(api(), 'GET', '/inventory/RS-PART-B');
    expect(partB.body.network).toMatchObject({ reserved: 0, ats: 2 });
    expect(await drift()).toEqual([]);
  });

  it('never reserves more at a location than it has when orders race for its last units: the rest go elsewhere or wait', async () => {
    await stock(near, 'RS-RACE', 3);
    await stock(far, 'RS-RACE', 3);
    const ids = await Promise.all(Array.from({ length: 10 }, () => place([{ sku: 'RS-RACE', quantity: 1 }])));
    await env.cloud.idle();
    const orders = await Promise.all(ids.map(order));
    const routedTo = (locationId: string) =>
      orders.filter(
        (o) =>
          o.status === 'FULFILLING' &&
          (o.shipments as Array<{ locationId: string }>)[0]?.locationId === locationId,
      ).length;
    expect(routedTo(near.id)).toBe(3);
    expect(routedTo(far.id)).toBe(3);
    expect(orders.filter((o) => o.status === 'BACKORDERED')).toHaveLength(4);
    const levels = (await request(api(), 'GET', '/inventory/RS-RACE')).body.locations as Array<{
      onHand: number;
      reserved: number;
    }>;
    for (const level of levels) expect(level.reserved).toBeLessThanOrEqual(level.onHand);
    expect(await drift()).toEqual([]);
  });

  it('raises a low-stock alert when the units routing holds take a location under its threshold', async () => {
    await stock(near, 'RS-LOW', 4, 3);
    await place([{ sku: 'RS-LOW', quantity: 2 }]);
    await env.cloud.idle();
    const alerts = (await request(api(), 'GET', '/alerts?limit=100')).body.items as Array<{
      type: string;
      subject: Record<string, unknown>;
    }>;
    expect(alerts).toContainEqual(
      expect.objectContaining({
        type: 'StockLow',
        subject: expect.objectContaining({ sku: 'RS-LOW', locationId: near.id }),
      }),
    );
  });

  it('answers 404 for the routing of an order not routed yet or unknown', async () => {
    const unknown = await request(api(), 'GET', '/orders/01J00000000000000000000000/routing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });
});
