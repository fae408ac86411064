import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/local-cloud';
import { carrierSecrets } from '../../infra/local/simulators';
import { clientsFor } from '../support/aws-clients';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockForOrders, stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { startTestCloud } from '../support/test-cloud';

const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-restart-'));
let cloud: LocalCloud | undefined;

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stopping and starting the local cloud', () => {
  it('keeps orders and complete execution histories when stopped the moment executions end', async () => {
    cloud = await startTestCloud({ dataDir });
    await stockForOrders(cloud.apiUrl);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await request(cloud.apiUrl, 'POST', '/orders', {
        // Declined payments end their executions at once; fulfilment would keep them waiting.
        body: orderBody({ payment: { method: 'card', token: 'tok_chargeDeclined' } }),
        headers: { 'idempotency-key': newKey() },
      });
      ids.push(String(reply.body.id));
    }
    const before = clientsFor(cloud);
    // Stop as soon as the journal shows them ended: their last journal writes may still be in flight.
    await eventually(
      async () => {
        const ended = (await before.executions()).filter((e) => e.status === 'SUCCEEDED');
        return ended.length === ids.length ? true : undefined;
      },
      10_000,
      5,
    );
    before.destroy();
    await cloud.stop();

    cloud = await startTestCloud({ dataDir });
    expect(cloud.resumedExecutions).toBe(0);
    const after = clientsFor(cloud);
    for (const id of ids) {
      expect((await request(cloud.apiUrl, 'GET', `/orders/${id}`)).body.status).toBe('FAILED');
      const execution = (await after.executions()).find((e) => e.name === id);
      const history = await cloud.stepFunctions.getExecutionHistory({
        executionArn: String(execution?.executionArn),
      });
      const types = history.events.map((e) => e.type);
      expect(types[0]).toBe('ExecutionStarted');
      expect(types.at(-1), types.join(',')).toBe('ExecutionSucceeded');
    }
    after.destroy();
    // Two starts and a stop of the whole cloud: seconds each on a loaded 2-core machine.
  }, 180_000);
});

describe('stopping the local cloud mid-flight', () => {
  const midFlightDir = mkdtempSync(path.join(tmpdir(), 'oms-midflight-'));
  afterAll(() => rmSync(midFlightDir, { recursive: true, force: true }));

  it('resumes executions at the warehouse and carrier waits they stood at, on the same tokens, finishes them all, and repeats no side effect', async () => {
    // The previous test leaves its restarted cloud running; one at a time.
    await cloud?.stop();
    cloud = await startTestCloud({ dataDir: midFlightDir });
    await stockUp(cloud.apiUrl, 'mf-sp', 'MF-1', 50);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await request(cloud.apiUrl, 'POST', '/orders', {
        body: orderBody({ lines: [{ sku: 'MF-1', quantity: 2, unitPrice: 1000 }] }),
        headers: { 'idempotency-key': newKey() },
      });
      ids.push(String(reply.body.id));
    }
    await cloud.idle();
    // Two wait for their warehouse; two are packed and shipped and wait for their carrier.
    for (const id of ids.slice(2)) await reportPacked(cloud.apiUrl, `${id}-1`);
    await cloud.idle();
    const waits = (c: LocalCloud) =>
      c.stepFunctions.tokens
        .waiting()
        .map(({ token, stateName, executionArn }) => ({ token, stateName, executionArn }));
    const waitingBefore = waits(cloud);
    const secretsBefore = await carrierSecrets(cloud);
    expect(waitingBefore.map((w) => w.stateName).sort()).toEqual([
      'RequestPick',
      'RequestPick',
      'ShipAndAwaitDelivery',
      'ShipAndAwaitDelivery',
    ]);
    await cloud.stop();

    cloud = await startTestCloud({ dataDir: midFlightDir });
    expect(cloud.resumedExecutions).toBe(4);
    // Back at the same states, waiting on the same tokens, before anyone answers.
    await cloud.idle();
    const byToken = (a: { token: string }, b: { token: string }) => a.token.localeCompare(b.token);
    expect(waits(cloud).sort(byToken)).toEqual(waitingBefore.sort(byToken));
    // The carriers keep signing with the secrets they were given.
    expect(await carrierSecrets(cloud)).toEqual(secretsBefore);
    const api = cloud.apiUrl;
    for (const id of ids.slice(0, 2)) {
      await eventually(
        async () => ((await reportPacked(api, `${id}-1`)).status === 200 ? true : undefined),
        10_000,
      );
    }
    const labels = await eventually(async () => {
      const all = await Promise.all(ids.map(async (id) => (await shipmentsOf(api, id))[0]));
      return all.every((s) => s?.status === 'SHIPPED') ? (all as ShipmentView[]) : undefined;
    }, 15_000);
    await cloud.idle();
    for (const shipment of labels) expect((await postDelivered(api, shipment)).status).toBe(200);
    await cloud.idle();

    const aws = clientsFor(cloud);
    const executions = await aws.executions();
    expect(ids.map((id) => executions.find((e) => e.name === id)?.status)).toEqual(
      ids.map(() => 'SUCCEEDED'),
    );
    for (const id of ids) {
      const { events } = await cloud.stepFunctions.getExecutionHistory({
        executionArn: String(executions.find((e) => e.name === id)?.executionArn),
      });
      const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
      const entered = (from: number, to: number) =>
        events
          .slice(from, to)
          .filter((e) => e.type.endsWith('StateEntered'))
          .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
      // The resumed run went on from where it stood: no state before the stop was entered again.
      const after = entered(redriven, events.length);
      expect(after.filter((name) => entered(0, redriven).includes(name))).toEqual([]);
      expect(after.length).toBeGreaterThan(0);
    }
    for (const id of ids) {
      expect((await request(api, 'GET', `/orders/${id}`)).body.status).toBe('DELIVERED');
      const [shipment] = await shipmentsOf(api, id);
      // One label, one pick request, one delivery: nothing happened twice.
      expect(shipment?.history.filter((h) => h.tracking === 'label_created')).toHaveLength(1);
      expect(shipment?.history.filter((h) => h.status === 'PICK_REQUESTED')).toHaveLength(1);
      // The activity log is a projection, a batch window behind the order.
      const events = await eventually(async () => {
        const types = (
          (await request(api, 'GET', `/orders/${id}/events`)).body.items as Array<{ type: string }>
        ).map((e) => e.type);
        return types.includes('OrderDelivered') ? types : undefined;
      }, 20_000);
      expect(events.filter((t) => t === 'OrderPlaced')).toHaveLength(1);
      expect(events.filter((t) => t === 'OrderDelivered')).toHaveLength(1);
    }
    const notifications = (await request(api, 'GET', '/notifications?limit=100')).body.items as Array<{
      template: string;
      orderId?: string;
    }>;
    for (const id of ids) {
      const mine = notifications.filter((n) => n.orderId === id).map((n) => n.template);
      expect(mine.sort()).toEqual(['order-confirmed', 'shipment-delivered', 'shipment-shipped']);
    }
    // Stock left the warehouse exactly once per order.
    expect((await request(api, 'GET', '/inventory/MF-1')).body.network).toMatchObject({
      onHand: 42,
      reserved: 0,
    });
    aws.destroy();
    // Two starts, a stop mid-flight and four orders to the door: a budget a loaded 2-core machine meets.
  }, 150_000);
});
