import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SANDBOX_CARRIERS } from '../shared/adapters/carriers/sandbox-carriers';
import { OmsAuth } from './constructs/oms-auth';
import { OmsFunction, type OmsFunctionProps } from './constructs/oms-function';
import { OmsHttpApi } from './constructs/oms-http-api';
import { OrderWorkflow } from './constructs/order-workflow';
import { OrdersTable } from './constructs/orders-table';

type Extra = Omit<OmsFunctionProps, 'entry'>;

/**
 * The whole OMS. Stateful resources (table, bus) are built first and kept (RETAIN);
 * everything else is stateless and can be replaced freely.
 */
export class OmsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Stateful
    const { table } = new OrdersTable(this, 'Orders');
    const bus = new events.EventBus(this, 'Bus', { description: 'OMS domain events' });

    // Functions by what they may touch: read the table, write it, or write it and publish events.
    const plain = (name: string, entry: string, extra: Extra = {}) =>
      new OmsFunction(this, name, { entry, ...extra });
    const reader = (name: string, entry: string, extra: Extra = {}) =>
      plain(name, entry, extra).bindTable(table, 'read');
    const writer = (name: string, entry: string, extra: Extra = {}) =>
      plain(name, entry, extra).bindTable(table, 'readWrite');
    const publisher = (name: string, entry: string, extra: Extra = {}) =>
      writer(name, entry, extra).bindEventBus(bus);
    const onEvents = (
      name: string,
      description: string,
      eventPattern: events.EventPattern,
      target: OmsFunction,
    ) =>
      new events.Rule(this, name, {
        eventBus: bus,
        description,
        eventPattern,
        targets: [new targets.LambdaFunction(target.fn, { retryAttempts: 8 })],
      });

    // Fulfilment: warehouses and carriers. Each carrier signs its webhooks with a secret generated
    // at deploy, `{"current": ...}` ("previous" is added by ops while rotating).
    const carrierSecrets = Object.fromEntries(
      Object.keys(SANDBOX_CARRIERS).map((carrier) => [
        carrier,
        new secretsmanager.Secret(this, `CarrierWebhookSecret-${carrier}`, {
          secretName: `oms/carriers/${carrier}/webhook`,
          description: `Secret ${carrier} signs its tracking webhooks with (HMAC-SHA256)`,
          generateSecretString: {
            secretStringTemplate: '{}',
            generateStringKey: 'current',
            excludePunctuation: true,
            passwordLength: 48,
          },
          // Carriers hold it: a stack replaced or deleted must not silently invalidate their signatures.
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      ]),
    );
    const fulfiller = (name: string, entry: string) => publisher(name, entry).bindTaskCallbacks();

    // Workflow tasks
    const slow = { timeout: Duration.seconds(30) };
    const workflow = new OrderWorkflow(this, 'OrderWorkflow', {
      bus,
      confirmOrder: publisher('ConfirmOrder', 'functions/workflow/confirm-order.ts', slow).fn,
      allocateOrder: publisher('AllocateOrder', 'functions/workflow/allocate-order.ts', slow).fn,
      routeOrder: publisher('RouteOrder', 'functions/workflow/route-order.ts', slow).fn,
      registerBackorder: publisher(
        'RegisterBackorder',
        'functions/workflow/register-backorder.ts',
      ).bindTaskCallbacks().fn,
      cancelOrder: publisher('CancelOrder', 'functions/workflow/cancel-order.ts').fn,
      requestPick: fulfiller('RequestPick', 'functions/workflow/request-pick.ts').fn,
      reportPickSlaBreach: fulfiller('ReportPickSlaBreach', 'functions/workflow/report-pick-sla-breach.ts')
        .fn,
      shipShipment: fulfiller('ShipShipment', 'functions/workflow/ship-shipment.ts').fn,
      rerouteShipment: fulfiller('RerouteShipment', 'functions/workflow/reroute-shipment.ts').fn,
      awaitDelivery: fulfiller('AwaitDelivery', 'functions/workflow/await-delivery.ts').fn,
      completeDelivery: fulfiller('CompleteDelivery', 'functions/workflow/complete-delivery.ts').fn,
    });

    // HTTP: one function per operation of the API contract
    const http = (file: string) => `functions/http/${file}`;
    const context = (key: string) => this.node.tryGetContext(key) as unknown;
    const list = (key: string) => {
      const value = context(key);
      return typeof value === 'string' ? value.split(',').filter(Boolean) : (value as string[] | undefined);
    };
    const auth = new OmsAuth(this, 'Auth', {
      ...(typeof context('jwtIssuer') === 'string' ? { issuer: context('jwtIssuer') as string } : {}),
      ...(list('jwtAudience') ? { audience: list('jwtAudience') } : {}),
      ...(list('channels') ? { channels: list('channels') } : {}),
      ...(list('warehouses') ? { warehouses: list('warehouses') } : {}),
      ...(typeof context('authDomainPrefix') === 'string'
        ? { domainPrefix: context('authDomainPrefix') as string }
        : {}),
    });
    new OmsHttpApi(this, 'Http', {
      authorizer: auth.authorizer,
      handlers: {
        placeOrder: writer('PlaceOrder', http('place-order.ts')).bindOrderWorkflow(workflow.stateMachine).fn,
        getOrder: reader('GetOrder', http('get-order.ts')).fn,
        listOrders: reader('ListOrders', http('list-orders.ts')).fn,
        listOrderEvents: reader('ListOrderEvents', http('list-order-events.ts')).fn,
        getOrderRouting: reader('GetOrderRouting', http('get-order-routing.ts')).fn,
        listOrderShipments: fulfiller('ListOrderShipments', http('list-order-shipments.ts')).fn,
        postShipmentEvent: fulfiller('PostShipmentEvent', http('post-shipment-event.ts')).fn,
        receiveCarrierWebhook: fulfiller(
          'ReceiveCarrierWebhook',
          http('post-carrier-webhook.ts'),
        ).bindCarrierSecrets(carrierSecrets).fn,
        putLocation: writer('PutLocation', http('put-location.ts')).fn,
        getLocation: reader('GetLocation', http('get-location.ts')).fn,
        listLocations: reader('ListLocations', http('list-locations.ts')).fn,
        putStock: publisher('PutStock', http('put-stock.ts')).fn,
        adjustStock: publisher('AdjustStock', http('post-stock-adjustment.ts')).fn,
        importStock: publisher('ImportStock', http('import-stock.ts'), { memorySize: 1024 }).fn,
        getInventory: reader('GetInventory', http('get-inventory.ts')).fn,
        listInventory: reader('ListInventory', http('list-inventory.ts')).fn,
        getRoutingPolicy: reader('GetRoutingPolicy', http('get-routing-policy.ts')).fn,
        putRoutingPolicy: writer('PutRoutingPolicy', http('put-routing-policy.ts')).fn,
        simulateRouting: reader('SimulateRouting', http('simulate-routing.ts')).fn,
        listAlerts: reader('ListAlerts', http('list-alerts.ts')).fn,
        listNotifications: reader('ListNotifications', http('list-notifications.ts')).fn,
        checkInventory: reader('CheckInventory', http('check-inventory.ts')).fn,
        getOpenApi: plain('GetOpenApi', http('get-openapi.ts')).fn,
        getDocs: plain('GetDocs', http('get-docs.ts')).fn,
        getHealth: plain('GetHealth', http('get-health.ts')).fn,
      },
    });

    // Events
    onEvents(
      'StockToBackorders',
      'Stock became available somewhere: wake the orders waiting for that SKU',
      {
        source: ['oms.inventory'],
        detailType: ['StockChanged'],
        detail: { data: { after: { ats: [{ numeric: ['>', 0] }] } } },
      },
      publisher('ResumeBackorders', 'functions/events/resume-backorders.ts', {
        timeout: Duration.seconds(60),
      }).bindTaskCallbacks(),
    );
    onEvents(
      'StockAlerts',
      'Stock low or out at a location: raise an alert for ops',
      { source: ['oms.inventory'], detailType: ['StockLow', 'StockOut'] },
      writer('RecordStockAlert', 'functions/events/record-stock-alert.ts'),
    );
    const shipmentAlerts = writer('RecordShipmentAlert', 'functions/events/record-shipment-alert.ts');
    onEvents(
      'ShipmentTroubleAlerts',
      'A warehouse missed its pick SLA or rejected a shipment: raise an alert for ops',
      { source: ['oms.fulfillment'], detailType: ['ShipmentSlaBreached', 'ShipmentRejected'] },
      shipmentAlerts,
    );
    onEvents(
      'DeliveryExceptionAlerts',
      'A carrier reports a delivery exception or a return: raise an alert for ops',
      {
        source: ['oms.fulfillment'],
        detailType: ['ShipmentTrackingUpdated'],
        detail: {
          data: { latest: { tracking: ['exception', 'returned_to_sender'], ignored: [{ exists: false }] } },
        },
      },
      shipmentAlerts,
    );
    const notifier = writer('SendNotification', 'functions/events/send-notification.ts').bindMailer(
      this.node.tryGetContext('notificationFromEmail') ?? 'orders@example.com',
    );
    notifier.fn.addEnvironment(
      'OPERATIONS_EMAIL',
      this.node.tryGetContext('operationsEmail') ?? 'ops@example.com',
    );
    onEvents(
      'Notifications',
      'Customers and internal teams are told at each step',
      {
        source: ['oms.orders', 'oms.fulfillment', 'oms.inventory'],
        detailType: [
          'OrderConfirmed',
          'ShipmentShipped',
          'ShipmentTrackingUpdated',
          'ShipmentSlaBreached',
          'StockLow',
          'StockOut',
        ],
      },
      notifier,
    );
    onEvents(
      'OrderEventsToActivity',
      'Every order event lands in the order activity log ops read',
      { source: ['oms.orders'] },
      writer('RecordOrderActivity', 'functions/events/record-order-activity.ts'),
    );
  }
}
