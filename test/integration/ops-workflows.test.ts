import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

/** What ops read and do about order workflows: the execution graph, late orders, stopped workflows and their redrive. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 20_000);
}

interface GraphView {
  status: string;
  graph: { nodes: Array<{ name: string; run: string; parent?: string }>; edges: unknown[] };
  events: Array<{ type: string }>;
}
const execution = async (id: string) =>
  (await request(api(), 'GET', `/orders/${id}/execution`)).body as unknown as GraphView;
const runOf = (view: GraphView, state: string) => view.graph.nodes.find((n) => n.name === state)?.run;

describe('GET /orders/{id}/execution', () => {
  it('draws the order workflow from the definition the execution runs, the pick task waiting on the warehouse while it picks, then every state it went through done once delivered', async () => {
    await stockUp(api(), 'ex-1', 'EX-SKU', 5);
    const id = await placeLines(api(), [{ sku: 'EX-SKU', quantity: 1 }]);
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');

    const picking = await eventually(async () => {
      const view = await execution(id);
      return runOf(view, 'RequestPick') === 'waiting' ? view : undefined;
    }, 20_000);
    expect(picking.status).toBe('RUNNING');
    expect(runOf(picking, 'PrepareOrder')).toBe('done');
    expect(runOf(picking, 'FulfilShipments')).toBe('current');
    expect(runOf(picking, 'CompleteDelivery')).toBe('not-run');
    expect(picking.graph.nodes.find((n) => n.name === 'RequestPick')?.parent).toBe('FulfilShipments');
    expect(picking.events[0]?.type).toBe('ExecutionStarted');

    expect((await reportPacked(api(), shipment.id)).status).toBe(200);
    const shipped = await shipmentIs(id, 'SHIPPED');
    expect((await postDelivered(api(), shipped)).status).toBe(200);
    const done = await eventually(async () => {
      const view = await execution(id);
      return view.status === 'SUCCEEDED' ? view : undefined;
    }, 20_000);
    for (const state of ['PrepareOrder', 'FulfilShipments', 'RequestPick', 'CompleteDelivery'])
      expect(runOf(done, state), state).toBe('done');
    expect(done.graph.nodes.filter((n) => n.run === 'current' || n.run === 'waiting')).toEqual([]);
    expect(done.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('answers 404 problem+json for an order that does not exist, and 403 to a sales channel (ops only)', async () => {
    const missing = await request(api(), 'GET', '/orders/01HZZZZZZZZZZZZZZZZZZZZZZZ/execution');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');

    await stockUp(api(), 'ex-2', 'EX-SKU-2', 5);
    const id = await placeLines(api(), [{ sku: 'EX-SKU-2', quantity: 1 }]);
    const channel = await tokenOf(env.cloud, 'channel-web');
    const refused = await request(api(), 'GET', `/orders/${id}/execution`, { token: channel });
    expect(refused.status).toBe(403);
  });
});

describe('stuck and late', () => {
  it('lists an order late in the pick stage only past the SLA asked (the default 24 h keeps a fresh one out), with since when and its SLA', async () => {
    await stockUp(api(), 'late-wh', 'LATE-SKU', 5);
    const id = await placeLines(api(), [{ sku: 'LATE-SKU', quantity: 1 }]);
    await shipmentIs(id, 'PICK_REQUESTED');
    const fresh = await request(api(), 'GET', '/orders/late?stage=pick');
    expect(fresh.status).toBe(200);
    expect((fresh.body.items as Array<{ orderId: string }>).map((o) => o.orderId)).not.toContain(id);
    const late = await request(api(), 'GET', '/orders/late?stage=pick&olderThanHours=0');
    const mine = (late.body.items as Array<Record<string, unknown>>).find((o) => o.orderId === id);
    expect(mine).toMatchObject({ stage: 'pick', status: 'FULFILLING', slaHours: 0, channel: 'web' });
    expect(Date.parse(String(mine?.since))).toBeLessThanOrEqual(Date.now());
    expect(late.body.truncated).toBe(false);
    // Another stage does not list it.
    const delivery = await request(api(), 'GET', '/orders/late?stage=delivery&olderThanHours=0');
    expect((delivery.body.items as Array<{ orderId: string }>).map((o) => o.orderId)).not.toContain(id);
    const bad = await request(api(), 'GET', '/orders/late?stage=lunch');
    expect(bad.status).toBe(400);
  });

  it('lists a workflow stopped by hand with its error, redrives it from where it stood (the order goes on to ship), and refuses a second redrive while it runs', async () => {
    await stockUp(api(), 'redrive-wh', 'REDRIVE-SKU', 5);
    const id = await placeLines(api(), [{ sku: 'REDRIVE-SKU', quantity: 1 }]);
    const shipment = await shipmentIs(id, 'PICK_REQUESTED');
    await env.cloud.idle();
    await env.aws.sfn.send(
      new StopExecutionCommand({
        executionArn: env.aws.executionArn(id),
        error: 'OpsStopped',
        cause: 'stopped by mistake',
      }),
    );
    const stopped = await eventually(async () => {
      const page = await request(api(), 'GET', '/ops/stopped-executions');
      return (page.body.items as Array<Record<string, unknown>>).find((x) => x.orderId === id);
    }, 15_000);
    expect(stopped).toMatchObject({ status: 'ABORTED', executionArn: env.aws.executionArn(id) });

    const redriven = await request(api(), 'POST', `/orders/${id}/redrive`);
    expect(redriven.status).toBe(202);
    const running = await env.aws.sfn.send(
      new DescribeExecutionCommand({ executionArn: env.aws.executionArn(id) }),
    );
    expect(running.status).toBe('RUNNING');
    expect((await request(api(), 'POST', `/orders/${id}/redrive`)).status).toBe(409);
    // It waits again for the warehouse, and goes on when the warehouse answers.
    await eventually(async () => {
      const view = await request(api(), 'GET', `/orders/${id}/execution`);
      const nodes = (view.body.graph as { nodes: Array<{ name: string; run: string }> }).nodes;
      return nodes.find((n) => n.name === 'RequestPick')?.run === 'waiting' ? true : undefined;
    }, 20_000);
    expect((await reportPacked(api(), shipment.id)).status).toBe(200);
    await shipmentIs(id, 'SHIPPED');
    const gone = await request(api(), 'GET', '/ops/stopped-executions');
    expect((gone.body.items as Array<{ orderId: string }>).map((x) => x.orderId)).not.toContain(id);
    expect((await request(api(), 'POST', '/orders/01HZZZZZZZZZZZZZZZZZZZZZZZ/redrive')).status).toBe(404);
  });
});
