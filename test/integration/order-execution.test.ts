import { describe, expect, it } from 'vitest';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

interface GraphView {
  status: string;
  graph: { nodes: Array<{ name: string; run: string; parent?: string }>; edges: unknown[] };
  events: Array<{ type: string }>;
}
const execution = async (id: string) =>
  (await request(api(), 'GET', `/orders/${id}/execution`)).body as unknown as GraphView;
const runOf = (view: GraphView, state: string) => view.graph.nodes.find((n) => n.name === state)?.run;

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 20_000);
}

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
