import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LocalLambda } from '../../infra/local/lambda';
import { DynamoOrderRepository } from '../../shared/adapters/aws/dynamo-order-repository';
import { createOrder, type OrderDraft } from '../../shared/domain/order';
import { drift, stockAt } from '../support/books';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody, placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const order = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body;
const statusIs = (id: string, status: string, timeoutMs = 15_000) =>
  eventually(async () => ((await order(id)).status === status ? true : undefined), timeoutMs);
const release = (id: string) => request(api(), 'POST', `/orders/${id}/release`, { body: { note: 'fixed' } });

/** The local function behind a workflow step (its logical id starts with the step's name). */
function fn(step: string): LocalLambda {
  const found = [...env.cloud.lambdas.values()].find((l) => l.spec.logicalId.startsWith(`${step}Function`));
  if (!found) throw new Error(`no function for ${step}`);
  return found;
}

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 15_000);
}

const alertsFor = async (id: string) =>
  (
    (await request(api(), 'GET', '/alerts?limit=100')).body.items as Array<{
      type: string;
      subject: { orderId?: string };
    }>
  ).filter((a) => a.type === 'OrderOnHold' && a.subject.orderId === id);

/** Packs, ships and delivers the order's one shipment, then waits for DELIVERED. */
async function deliver(id: string): Promise<void> {
  const shipment = await shipmentIs(id, 'PICK_REQUESTED');
  await reportPacked(api(), shipment.id);
  await postDelivered(api(), await shipmentIs(id, 'SHIPPED'));
  await statusIs(id, 'DELIVERED');
}

afterEach(() => {
  for (const l of env.cloud.lambdas.values()) l.clearFault();
});

afterAll(async () => {
  await env.cloud.idle();
  expect(await drift(env.aws)).toEqual([]);
});

describe('failure semantics of the order workflow, with faults injected', () => {
  it('holds the order for ops with nothing reserved and an alert when Allocate keeps failing, and finishes it once the fault is cleared and the order released', async () => {
    await stockUp(api(), 'fx-alloc', 'FX-ALLOC', 5);
    fn('AllocateOrder').injectFault();
    const id = await placeLines(api(), [{ sku: 'FX-ALLOC', quantity: 2 }]);
    await statusIs(id, 'ON_HOLD');
    const held = await order(id);
    expect(held.statusReason).toMatch(/^Allocate failed after its retries \(InjectedFault\)/);
    expect(held.hold).toMatchObject({ kind: 'failure', from: 'CONFIRMED' });
    expect((await stockAt(api(), 'FX-ALLOC'))[0]?.reserved).toBe(0);
    await eventually(async () => ((await alertsFor(id)).length > 0 ? true : undefined), 10_000);
    expect((await env.aws.executions()).find((e) => e.name === id)?.status).toBe('RUNNING');

    fn('AllocateOrder').clearFault();
    expect((await release(id)).body.status).toBe('CONFIRMED');
    await deliver(id);
  });

  it('releases the reservation and holds the order when Route keeps failing (never FAILED with stock), and routes it after the release', async () => {
    await stockUp(api(), 'fx-route', 'FX-ROUTE', 5);
    fn('RouteOrder').injectFault();
    const id = await placeLines(api(), [{ sku: 'FX-ROUTE', quantity: 1 }]);
    await statusIs(id, 'ON_HOLD');
    expect((await order(id)).statusReason).toMatch(/^Route failed after its retries/);
    await env.cloud.idle();
    expect((await stockAt(api(), 'FX-ROUTE'))[0]?.reserved).toBe(0);
    expect(await drift(env.aws)).toEqual([]);

    fn('RouteOrder').clearFault();
    await release(id);
    await deliver(id);
  });

  it('holds the order when ShipShipment fails inside the Map, keeping the packed shipment and its stock for the retry, and ships it after the release', async () => {
    await stockUp(api(), 'fx-ship', 'FX-SHIP', 5);
    const id = await placeLines(api(), [{ sku: 'FX-SHIP', quantity: 1 }]);
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    fn('ShipShipment').injectFault();
    await reportPacked(api(), shipment.id);
    await statusIs(id, 'ON_HOLD');
    expect((await order(id)).statusReason).toMatch(/^Ship failed after its retries \(InjectedFault\)/);
    expect((await stockAt(api(), 'FX-SHIP'))[0]).toMatchObject({ onHand: 5, reserved: 1 });
    await eventually(async () => ((await alertsFor(id)).length > 0 ? true : undefined), 10_000);

    fn('ShipShipment').clearFault();
    expect((await release(id)).body.status).toBe('FULFILLING');
    await postDelivered(api(), await shipmentIs(id, 'SHIPPED'));
    await statusIs(id, 'DELIVERED');
    expect((await stockAt(api(), 'FX-SHIP'))[0]).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it('holds the order when the pick request fails inside the Map, and asks the warehouse once released', async () => {
    await stockUp(api(), 'fx-pick', 'FX-PICK', 5);
    fn('RequestPick').injectFault();
    const id = await placeLines(api(), [{ sku: 'FX-PICK', quantity: 1 }]);
    await statusIs(id, 'ON_HOLD');
    expect((await order(id)).statusReason).toMatch(/^Pick failed after its retries/);
    expect(await shipmentsOf(api(), id)).toEqual([]);

    fn('RequestPick').clearFault();
    await release(id);
    await deliver(id);
  });

  it('rides out a fault that clears within the retries: a throttled step is retried and the order is never held', async () => {
    await stockUp(api(), 'fx-blip', 'FX-BLIP', 5);
    fn('AllocateOrder').injectFault({ times: 1, error: 'Lambda.TooManyRequestsException' });
    const id = await placeLines(api(), [{ sku: 'FX-BLIP', quantity: 1 }]);
    await deliver(id);
    const timeline = ((await order(id)).timeline as Array<{ status: string }>).map((t) => t.status);
    expect(timeline).not.toContain('ON_HOLD');
  });
});

describe('the PENDING sweeper (a scheduled rule)', () => {
  it('starts the workflow of an order left PENDING because StartExecution failed, once, and leaves a just-placed one alone', async () => {
    await stockUp(api(), 'fx-sweep', 'FX-SWEEP', 5);
    const orders = new DynamoOrderRepository(
      DynamoDBDocumentClient.from(env.aws.dynamodb),
      env.aws.tableName,
    );
    // Written as POST /orders writes it, without the StartExecution that failed after the write.
    const stranded = (id: string, minutesAgo: number) => {
      const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
      const placed = createOrder(
        {
          ...(orderBody({
            lines: [{ sku: 'FX-SWEEP', quantity: 1, unitPrice: 1000 }],
          }) as unknown as OrderDraft),
        },
        { id, now: at },
      );
      return orders
        .create(placed, {
          key: `POST /orders:test:${id}`,
          requestHash: 'h',
          result: { orderId: id },
          createdAt: at,
        })
        .then(() => placed);
    };
    const old = await stranded(ulid(), 10);
    const fresh = await stranded(ulid(), 0);

    env.cloud.eventBus.runScheduled('RestartPendingOrders');
    env.cloud.eventBus.runScheduled('RestartPendingOrders');
    await statusIs(old.id, 'FULFILLING');
    await env.cloud.idle();
    expect((await order(fresh.id)).status).toBe('PENDING');
    const executions = (await env.aws.executions()).filter((e) => e.name === old.id || e.name === fresh.id);
    expect(executions.map((e) => e.name)).toEqual([old.id]);
    await deliver(old.id);
    // The fresh one is past its grace on a later sweep (here: cancelled instead, to end it).
    await request(api(), 'POST', `/orders/${fresh.id}/cancel`, {
      body: { reason: 'duplicate_order' },
      headers: { 'idempotency-key': newKey() },
    });
  });
});
