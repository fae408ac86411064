import { Writable } from 'node:stream';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { KpiReport } from '../../shared/domain/kpis';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

/** What the functions printed: their logs, and the metrics Powertools writes there as EMF. */
const printed: string[] = [];
const env = useTestCloud({
  functionLogs: new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      printed.push(...chunk.toString('utf8').split('\n'));
      done();
    },
  }),
});
const api = () => env.cloud.apiUrl;
const today = () => new Date().toISOString().slice(0, 10);

async function place(channel: string, lines: Array<{ sku: string; quantity: number; unitPrice: number }>) {
  const reply = await request(api(), 'POST', '/orders', {
    body: orderBody({ channel, lines }),
    headers: { 'idempotency-key': newKey() },
  });
  expect(reply.status).toBe(201);
  return String(reply.body.id);
}

async function shipmentIs(id: string, status: string): Promise<ShipmentView> {
  return eventually(async () => {
    const [shipment] = await shipmentsOf(api(), id);
    return shipment?.status === status ? shipment : undefined;
  }, 20_000);
}

const kpis = async (query = `from=${today()}&to=${today()}`) =>
  (await request(api(), 'GET', `/kpis?${query}`)).body as unknown as KpiReport;

describe('GET /kpis (the KPI projection)', () => {
  it('counts a known set of orders placed, delivered and cancelled through the API to the exact figure, and an event sent twice once', async () => {
    await stockUp(api(), 'kpi-wh', 'KPI-TEE', 100);
    await stockUp(api(), 'kpi-wh', 'KPI-MUG', 100);
    const delivered = await place('web', [
      { sku: 'KPI-TEE', quantity: 2, unitPrice: 4990 },
      { sku: 'KPI-MUG', quantity: 1, unitPrice: 2500 },
    ]);
    const cancelled = await place('web', [{ sku: 'KPI-MUG', quantity: 1, unitPrice: 2500 }]);
    const b2b = await place('b2b', [{ sku: 'KPI-TEE', quantity: 3, unitPrice: 4000 }]);

    const shipment = await shipmentIs(delivered, 'PICK_REQUESTED');
    expect((await reportPacked(api(), shipment.id)).status).toBe(200);
    expect((await postDelivered(api(), await shipmentIs(delivered, 'SHIPPED'))).status).toBe(200);
    await shipmentIs(cancelled, 'PICK_REQUESTED');
    await shipmentIs(b2b, 'PICK_REQUESTED');
    const cancel = await request(api(), 'POST', `/orders/${cancelled}/cancel`, {
      body: { reason: 'customer_request' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(cancel.status).toBe(200);
    await eventually(
      async () =>
        (await request(api(), 'GET', `/orders/${delivered}`)).body.status === 'DELIVERED' ? true : undefined,
      20_000,
    );
    await env.cloud.idle();

    const report = await kpis();
    expect(report.totals).toEqual({ placed: 3, units: 7, delivered: 1, cancelled: 1, returns: 0 });
    expect(report.ordersPerDay).toEqual([
      { day: today(), channel: 'b2b', orders: 1 },
      { day: today(), channel: 'web', orders: 2 },
    ]);
    expect(report.revenue).toEqual({
      byChannel: [
        { channel: 'b2b', currency: 'BRL', amount: 12000 },
        { channel: 'web', currency: 'BRL', amount: 14980 },
      ],
      byProduct: [
        { sku: 'KPI-TEE', units: 5, currency: 'BRL', amount: 21980 },
        { sku: 'KPI-MUG', units: 2, currency: 'BRL', amount: 5000 },
      ],
    });
    expect(report.rates).toEqual({
      fill: { value: 1, numerator: 3, denominator: 3 },
      split: { value: 0, numerator: 0, denominator: 3 },
      backorder: { value: 0, numerator: 0, denominator: 3 },
      cancellation: { value: 1 / 3, numerator: 1, denominator: 3 },
      return: { value: 0, numerator: 0, denominator: 1 },
      onTime: { value: 1, numerator: 1, denominator: 1 },
    });
    expect(report.stages).toMatchObject({
      confirmed: { count: 3, timed: 3 },
      routed: { count: 3, timed: 3 },
      shipped: { count: 1, timed: 1 },
      delivered: { count: 1, timed: 1 },
    });
    expect(report.stages.delivered.p50Ms).toBeGreaterThan(0);

    // The same OrderPlaced again on the bus (EventBridge delivers at least once): counted once.
    const activity = (await request(api(), 'GET', `/orders/${delivered}/events`)).body.items as Array<{
      type: string;
      data: unknown;
      eventId: string;
      sequence: number;
      occurredAt: string;
    }>;
    const placedEvent = activity.find((a) => a.type === 'OrderPlaced');
    await env.aws.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: env.aws.busName,
            Source: 'oms.orders',
            DetailType: 'OrderPlaced',
            Detail: JSON.stringify({
              metadata: {
                eventId: placedEvent?.eventId,
                orderId: delivered,
                sequence: placedEvent?.sequence,
                occurredAt: placedEvent?.occurredAt,
                correlationId: 'replayed',
              },
              data: placedEvent?.data,
            }),
          },
        ],
      }),
    );
    await env.cloud.idle();
    expect((await kpis()).totals.placed).toBe(3);
    expect((await kpis(`from=${today()}&to=${today()}&channel=b2b`)).totals).toEqual({
      placed: 1,
      units: 3,
      delivered: 0,
      cancelled: 0,
      returns: 0,
    });
  });

  it("emits the dashboard's business metrics as CloudWatch EMF from the projection, once per counted event: orders placed and delivered, time from placement to each stage", () => {
    const emf = printed
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            _aws: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> };
            [metric: string]: unknown;
          },
      );
    const values = (name: string) =>
      emf.flatMap((e) =>
        typeof e[name] === 'number' ? [e[name]] : Array.isArray(e[name]) ? (e[name] as number[]) : [],
      );
    expect(emf.every((e) => e._aws.CloudWatchMetrics.every((m) => m.Namespace === 'OMS'))).toBe(true);
    // Three orders placed, one delivered (the replayed OrderPlaced was not counted again).
    expect(values('OrdersPlaced').reduce((a, b) => a + b, 0)).toBe(3);
    expect(values('OrdersDelivered').reduce((a, b) => a + b, 0)).toBe(1);
    expect(values('OrdersCancelled').reduce((a, b) => a + b, 0)).toBe(1);
    expect(values('TimeToConfirmed')).toHaveLength(3);
    expect(values('TimeToDelivered')).toHaveLength(1);
  });

  it('refuses a period that ends before it starts, or spans more than a year, with problem+json naming from', async () => {
    const reversed = await request(api(), 'GET', '/kpis?from=2026-12-06&to=2026-12-01');
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain('#/query/from');
    const long = await request(api(), 'GET', '/kpis?from=2024-01-01&to=2026-01-01');
    expect(long.status).toBe(400);
    const badDay = await request(api(), 'GET', '/kpis?from=yesterday');
    expect(badDay.status).toBe(400);
  });
});
