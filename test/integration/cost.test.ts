import { describe, expect, it } from 'vitest';
import { measuredUsage } from '../../bench/usage-file';
import type { BusEvent } from '../../infra/local/event-bus';
import { usageBetween } from '../../infra/local/usage';
import { postDelivered, reportPacked, type ShipmentView, shipmentsOf } from '../support/carriers';
import { request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud({ meterDynamoDb: true });
const api = () => env.cloud.apiUrl;

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
    const invoked = Object.fromEntries(
      Object.entries(measuredUsage(used, 1).functions)
        .filter(([, f]) => f.invocations > 0)
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
      // Rule targets: every order event to the activity log; the KPI events; the customer's notices
      RecordOrderActivity: orderEvents.length,
      ProjectKpis: [
        'OrderPlaced',
        'OrderConfirmed',
        'OrderRouted',
        'OrderShipped',
        'OrderDelivered',
        'ShipmentShipped',
      ].length,
      SendNotification: ['OrderConfirmed', 'ShipmentShipped', 'ShipmentTrackingUpdated'].length,
    });
    // Confirmed, shipped, delivered.
    expect(used.emails).toBe(3);
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
});
