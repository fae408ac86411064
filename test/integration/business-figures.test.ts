import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { measuredUsage } from '../../bench/usage-file';
import type { BusEvent } from '../../infra/local/event-bus';
import { usageBetween } from '../../infra/local/usage';
import type { KpiReport } from '../../shared/domain/kpis';
import {
  postDelivered,
  postTracking,
  reportPacked,
  type ShipmentView,
  shipmentsOf,
} from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { redeliverOrderEvent } from '../support/redeliver';
import { useTestCloud } from '../support/test-cloud';

/** What the functions printed: their logs, and the metrics Powertools writes there as EMF. */
const printed: string[] = [];
// Metered (DynamoDB capacity by caller) for the cost counting at the end; the KPIs do not mind.
const env = useTestCloud({
  meterDynamoDb: true,
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
    await redeliverOrderEvent(env, delivered, 'OrderPlaced');
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

describe('cost to serve: what one order uses, counted by the local cloud', () => {
  it('counts what a single-shipment order placed, packed and delivered in one scan uses, as computed by hand from the design', async () => {
    await stockUp(api(), 'cost-wh', 'COST-TEE', 10);
    await stockUp(api(), 'cost-wh', 'COST-MUG', 10);
    await env.cloud.idle();
    const published: BusEvent[] = [];
    env.cloud.eventBus.tap((event) => published.push(event));
    const before = env.cloud.usage();
    let reads = 0;
    const shipment = async (): Promise<ShipmentView> => {
      await env.cloud.idle();
      reads++;
      const [found] = await shipmentsOf(api(), id);
      if (!found) throw new Error('no shipment');
      return found;
    };

    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody({
        lines: [
          { sku: 'COST-TEE', quantity: 2, unitPrice: 4990 },
          { sku: 'COST-MUG', quantity: 1, unitPrice: 2500 },
        ],
      }),
      headers: { 'idempotency-key': newKey() },
    });
    const id = String(placed.body.id);
    expect((await reportPacked(api(), (await shipment()).id)).status).toBe(200);
    expect((await postDelivered(api(), await shipment())).status).toBe(200);
    await env.cloud.idle();
    const used = usageBetween(before, env.cloud.usage());
    // The scheduled sweeps run whenever their minute comes round: not the order's doing.
    const scheduled = new Set(['SweepSubscriptions', 'RestartPendingOrders']);
    const invoked = Object.fromEntries(
      Object.entries(measuredUsage(used, 1).functions)
        .filter(([name, f]) => f.invocations > 0 && !scheduled.has(name))
        .map(([name, f]) => [name, f.invocations]),
    );

    // The workflow: PrepareOrder (its Express child confirms, allocates, routes), the Map, then
    // RequestPick, ShipAndAwaitDelivery and CompleteDelivery in the shipment's branch.
    expect(used.standardTransitions).toBe(5);
    expect(used.expressRequests).toBe(1);
    // Three calls from outside (placement, the warehouse's packed report, the carrier's scan) and the test's two reads.
    expect(used.apiRequests).toBe(3 + reads);
    const orderEvents = [
      'OrderPlaced',
      'OrderConfirmed',
      'OrderAllocated',
      'OrderRouted',
      'OrderFulfilling',
      'PaymentCaptured',
      'OrderShipped',
      'OrderDelivered',
    ];
    const shipmentEvents = [
      'ShipmentPickRequested',
      'ShipmentPacked',
      'ShipmentShipped',
      'ShipmentTrackingUpdated',
    ];
    expect(published.map((e) => e['detail-type']).sort()).toEqual(
      [...orderEvents, ...shipmentEvents, 'StockReserved'].sort(),
    );
    expect(used.events).toBe(published.length);
    expect(invoked).toEqual({
      // Behind the API
      PlaceOrder: 1,
      PostShipmentEvent: 1,
      ReceiveCarrierWebhook: 1,
      ListOrderShipments: reads,
      // The workflow's tasks
      ConfirmOrder: 1,
      AllocateOrder: 1,
      RouteOrder: 1,
      RequestPick: 1,
      ShipShipment: 1,
      CompleteDelivery: 1,
      // The projections read their queues in batches: one per burst of the order's events
      // (placement to routing, the parcel leaving, its delivery), the test waiting between them.
      RecordOrderActivity: 3,
      ProjectKpis: 3,
      // Rule targets: the customer's notices
      SendNotification: ['OrderConfirmed', 'ShipmentShipped', 'ShipmentTrackingUpdated'].length,
      // Every event, to the webhook subscriptions that want it (none here), read from its queue in
      // batches of what has come (no window): at most one invocation per event.
      DeliverWebhooks: expect.any(Number),
    });
    const webhookBatches = invoked.DeliverWebhooks ?? 0;
    expect(webhookBatches).toBeGreaterThanOrEqual(1);
    expect(webhookBatches).toBeLessThanOrEqual(published.length);
    // Confirmed, shipped, delivered.
    expect(used.emails).toBe(3);
    // SQS: each event sent to the queues that read it (6 to the KPIs', the 8 order events to the
    // activity log's, every event to the webhook senders'), and per batch one receive and one
    // delete (3 batches for each projection, as many as invocations for the senders).
    expect(used.sqsRequests).toBe(6 + orderEvents.length + published.length + 2 * (3 + 3 + webhookBatches));
    for (const [name, fn] of Object.entries(measuredUsage(used, 1).functions))
      if (fn.invocations > 0) expect(fn.billedMs, name).toBeGreaterThan(0);
    // Each function asked DynamoDB for its capacity: every writer and reader reports some.
    const capacity = used.dynamodb ?? {};
    const writers = Object.entries(capacity).filter(
      ([caller, c]) => caller !== 'LocalCloud' && c.writeUnits > 0,
    );
    expect(writers.map(([caller]) => caller.replace(/Function[0-9A-F]{8}.*$/, '')).sort()).toEqual(
      [
        'AllocateOrder',
        'CompleteDelivery',
        'ConfirmOrder',
        'PlaceOrder',
        'PostShipmentEvent',
        'ProjectKpis',
        'ReceiveCarrierWebhook',
        'RecordOrderActivity',
        'RequestPick',
        'RouteOrder',
        'SendNotification',
        'ShipShipment',
      ].sort(),
    );
    expect(measuredUsage(used, 1).writeUnits).toBeGreaterThanOrEqual(60);
  });

  it('invokes the notifier only for the carrier scans someone is told of: not in transit, nor a scan applied late', async () => {
    await stockUp(api(), 'scan-wh', 'SCAN-TEE', 5);
    const id = await place('web', [{ sku: 'SCAN-TEE', quantity: 1, unitPrice: 1000 }]);
    expect((await reportPacked(api(), (await shipmentIs(id, 'PICK_REQUESTED')).id)).status).toBe(200);
    const shipped = await shipmentIs(id, 'SHIPPED');
    await env.cloud.idle();
    const before = env.cloud.usage();
    const scan = (status: 'in_transit' | 'out_for_delivery') =>
      postTracking(api(), String(shipped.carrier?.carrier), String(shipped.trackingNumber), status);
    expect((await scan('in_transit')).status).toBe(200);
    expect((await scan('out_for_delivery')).status).toBe(200);
    // Behind the parcel's latest state: history only, marked ignored.
    expect((await scan('in_transit')).status).toBe(200);
    await env.cloud.idle();
    const used = measuredUsage(usageBetween(before, env.cloud.usage()), 1);
    expect(used.functions.ReceiveCarrierWebhook?.invocations).toBe(3);
    expect(used.functions.SendNotification?.invocations).toBe(1);
    expect(usageBetween(before, env.cloud.usage()).emails).toBe(1);
    const [latest] = await shipmentsOf(api(), id);
    expect(latest?.history.at(-1)).toMatchObject({ tracking: 'in_transit', ignored: true });
  });

  it("names each function's SDK calls within the SDK's 50-character app id, so no call logs a warning, and the meter still counts them by function", () => {
    // The functions above made dozens of SDK calls each; a long app id logged one warning per call.
    expect(printed.filter((line) => line.includes('userAgentAppId'))).toEqual([]);
    const callers = Object.keys(env.cloud.usage().dynamodb ?? {});
    expect(callers.some((caller) => caller.startsWith('ShipShipmentFunction'))).toBe(true);
    expect(callers.filter((caller) => /^f\d+$/.test(caller) || caller === 'unknown')).toEqual([]);
  });
});
