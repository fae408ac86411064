import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { placeLines } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 20_000);
}

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
