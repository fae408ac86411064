import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { OmsFunction } from './constructs/oms-function';
import { OmsHttpApi } from './constructs/oms-http-api';
import { OrderWorkflow } from './constructs/order-workflow';
import { OrdersTable } from './constructs/orders-table';

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

    // Workflow tasks
    const confirmOrder = new OmsFunction(this, 'ConfirmOrder', {
      entry: 'functions/workflow/confirm-order.ts',
      timeout: Duration.seconds(30),
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const allocateOrder = new OmsFunction(this, 'AllocateOrder', {
      entry: 'functions/workflow/allocate-order.ts',
      timeout: Duration.seconds(30),
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const registerBackorder = new OmsFunction(this, 'RegisterBackorder', {
      entry: 'functions/workflow/register-backorder.ts',
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus)
      .bindTaskCallbacks();
    const cancelOrder = new OmsFunction(this, 'CancelOrder', { entry: 'functions/workflow/cancel-order.ts' })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const workflow = new OrderWorkflow(this, 'OrderWorkflow', {
      bus,
      confirmOrder: confirmOrder.fn,
      allocateOrder: allocateOrder.fn,
      registerBackorder: registerBackorder.fn,
      cancelOrder: cancelOrder.fn,
    });

    // HTTP
    const placeOrder = new OmsFunction(this, 'PlaceOrder', { entry: 'functions/http/place-order.ts' })
      .bindTable(table, 'readWrite')
      .bindOrderWorkflow(workflow.stateMachine);
    const getOrder = new OmsFunction(this, 'GetOrder', { entry: 'functions/http/get-order.ts' }).bindTable(
      table,
      'read',
    );
    const listOrders = new OmsFunction(this, 'ListOrders', {
      entry: 'functions/http/list-orders.ts',
    }).bindTable(table, 'read');
    const listOrderEvents = new OmsFunction(this, 'ListOrderEvents', {
      entry: 'functions/http/list-order-events.ts',
    }).bindTable(table, 'read');
    const putLocation = new OmsFunction(this, 'PutLocation', {
      entry: 'functions/http/put-location.ts',
    }).bindTable(table, 'readWrite');
    const getLocation = new OmsFunction(this, 'GetLocation', {
      entry: 'functions/http/get-location.ts',
    }).bindTable(table, 'read');
    const listLocations = new OmsFunction(this, 'ListLocations', {
      entry: 'functions/http/list-locations.ts',
    }).bindTable(table, 'read');
    const putStock = new OmsFunction(this, 'PutStock', { entry: 'functions/http/put-stock.ts' })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const adjustStock = new OmsFunction(this, 'AdjustStock', {
      entry: 'functions/http/post-stock-adjustment.ts',
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const importStock = new OmsFunction(this, 'ImportStock', {
      entry: 'functions/http/import-stock.ts',
      timeout: Duration.seconds(29),
      memorySize: 1024,
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus);
    const getInventory = new OmsFunction(this, 'GetInventory', {
      entry: 'functions/http/get-inventory.ts',
    }).bindTable(table, 'read');
    const listInventory = new OmsFunction(this, 'ListInventory', {
      entry: 'functions/http/list-inventory.ts',
    }).bindTable(table, 'read');
    const getRoutingPolicy = new OmsFunction(this, 'GetRoutingPolicy', {
      entry: 'functions/http/get-routing-policy.ts',
    }).bindTable(table, 'read');
    const putRoutingPolicy = new OmsFunction(this, 'PutRoutingPolicy', {
      entry: 'functions/http/put-routing-policy.ts',
    }).bindTable(table, 'readWrite');
    const simulateRouting = new OmsFunction(this, 'SimulateRouting', {
      entry: 'functions/http/simulate-routing.ts',
    }).bindTable(table, 'read');
    const listAlerts = new OmsFunction(this, 'ListAlerts', {
      entry: 'functions/http/list-alerts.ts',
    }).bindTable(table, 'read');
    const checkInventory = new OmsFunction(this, 'CheckInventory', {
      entry: 'functions/http/check-inventory.ts',
      timeout: Duration.seconds(29),
    }).bindTable(table, 'read');
    const getOpenApi = new OmsFunction(this, 'GetOpenApi', { entry: 'functions/http/get-openapi.ts' });
    const getDocs = new OmsFunction(this, 'GetDocs', { entry: 'functions/http/get-docs.ts' });
    const getHealth = new OmsFunction(this, 'GetHealth', { entry: 'functions/http/get-health.ts' });
    new OmsHttpApi(this, 'Http', {
      handlers: {
        placeOrder: placeOrder.fn,
        getOrder: getOrder.fn,
        listOrders: listOrders.fn,
        listOrderEvents: listOrderEvents.fn,
        putLocation: putLocation.fn,
        getLocation: getLocation.fn,
        listLocations: listLocations.fn,
        putStock: putStock.fn,
        adjustStock: adjustStock.fn,
        getInventory: getInventory.fn,
        importStock: importStock.fn,
        listInventory: listInventory.fn,
        getRoutingPolicy: getRoutingPolicy.fn,
        putRoutingPolicy: putRoutingPolicy.fn,
        simulateRouting: simulateRouting.fn,
        listAlerts: listAlerts.fn,
        checkInventory: checkInventory.fn,
        getOpenApi: getOpenApi.fn,
        getDocs: getDocs.fn,
        getHealth: getHealth.fn,
      },
    });

    // Events
    const recordActivity = new OmsFunction(this, 'RecordOrderActivity', {
      entry: 'functions/events/record-order-activity.ts',
    }).bindTable(table, 'readWrite');
    const resumeBackorders = new OmsFunction(this, 'ResumeBackorders', {
      entry: 'functions/events/resume-backorders.ts',
      timeout: Duration.seconds(60),
    })
      .bindTable(table, 'readWrite')
      .bindEventBus(bus)
      .bindTaskCallbacks();
    new events.Rule(this, 'StockToBackorders', {
      eventBus: bus,
      description: 'Stock became available somewhere: wake the orders waiting for that SKU',
      eventPattern: {
        source: ['oms.inventory'],
        detailType: ['StockChanged'],
        detail: { data: { after: { ats: [{ numeric: ['>', 0] }] } } },
      },
      targets: [new targets.LambdaFunction(resumeBackorders.fn, { retryAttempts: 8 })],
    });
    const recordStockAlert = new OmsFunction(this, 'RecordStockAlert', {
      entry: 'functions/events/record-stock-alert.ts',
    }).bindTable(table, 'readWrite');
    new events.Rule(this, 'StockAlerts', {
      eventBus: bus,
      description: 'Stock low or out at a location: raise an alert for ops',
      eventPattern: { source: ['oms.inventory'], detailType: ['StockLow', 'StockOut'] },
      targets: [new targets.LambdaFunction(recordStockAlert.fn, { retryAttempts: 8 })],
    });
    new events.Rule(this, 'OrderEventsToActivity', {
      eventBus: bus,
      description: 'Every order event lands in the order activity log ops read',
      eventPattern: { source: ['oms.orders'] },
      targets: [new targets.LambdaFunction(recordActivity.fn, { retryAttempts: 8 })],
    });
  }
}
