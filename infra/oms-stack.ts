import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SANDBOX_CARRIERS } from '../shared/adapters/carriers/sandbox-carriers';
import { KPI_EVENTS } from '../shared/application/kpis';
import { CUSTOMER_RETURN_NOTICES, TRACKING_NOTICES } from '../shared/domain/notifications';
import { EventSource } from '../shared/domain/order-events';
import { consoleBuild } from './console-build';
import type { AdapterName } from './constructs/adapter-access';
import { BatchQueue } from './constructs/batch-queue';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { OmsAuth } from './constructs/oms-auth';
import { OmsFunction, type OmsFunctionProps, type OmsResources } from './constructs/oms-function';
import { OmsHttpApi } from './constructs/oms-http-api';
import type { OpsMonitoringProps } from './constructs/ops-monitoring';
import {
  BulkJobWorkflow,
  OrderPreparation,
  OrderWorkflow,
  ReturnWorkflow,
  WebhookWorkflow,
} from './constructs/order-workflow';
import { OrdersTable } from './constructs/orders-table';

type Extra = Omit<OmsFunctionProps, 'entry'>;

/**
 * The whole OMS. Stateful resources (table, bus) are built first and kept (RETAIN);
 * everything else is stateless and can be replaced freely.
 */
export class OmsStack extends Stack {
  /** What the monitoring stack watches. */
  readonly monitored: OpsMonitoringProps;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Stateful
    const { table } = new OrdersTable(this, 'Orders');
    const bus = new events.EventBus(this, 'Bus', { description: 'OMS domain events' });

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
    for (const secret of Object.values(carrierSecrets))
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The carrier holds this secret: rotating it is a change made with the carrier (add "previous", set a new "current", let the carrier switch, drop "previous"; README: Rotating a carrier secret). An automatic rotation would break their signatures.',
      });
    const resources: OmsResources = {
      table,
      bus,
      carrierSecrets,
      fromEmail: this.node.tryGetContext('notificationFromEmail') ?? 'orders@example.com',
    };

    // Each function is granted what the adapters its handler builds send (checked against the code
    // by the least-privilege infra test); readers (GET routes, simulations) only the table reads.
    const fn = (name: string, entry: string, adapters: AdapterName[], extra: Extra = {}) =>
      new OmsFunction(this, name, { entry, ...extra }).uses(adapters, resources);
    const reader = (name: string, entry: string, adapters: AdapterName[]) =>
      new OmsFunction(this, name, { entry }).uses(adapters, resources, { readOnly: true });

    // Alarms go to one topic ops subscribe to (context `alarmEmail` subscribes an address at deploy).
    const alarms = new sns.Topic(this, 'OpsAlarms', { displayName: 'OMS alarms', enforceSSL: true });
    const alarmEmail = this.node.tryGetContext('alarmEmail') as string | undefined;
    if (alarmEmail) alarms.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    Validations.of(alarms).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        "Alarm notifications name an alarm and a queue, never customer data; CloudWatch cannot publish to a topic under SNS's AWS-managed key, and a customer-managed key for this alone is not worth its cost.",
    });

    // Functions fed by events: each has a dead-letter queue, for EventBridge's delivery failures
    // and for Lambda's after the function failed every attempt. Ops redrive them through the API.
    // A projection (`batched`) reads its events from a queue in batches instead (BatchQueue says why).
    type Consumer = { fn: OmsFunction; deadLetters: DeadLetterQueue; queue?: sqs.IQueue };
    const consumers: Record<string, Consumer> = {};
    const consumer = (
      name: string,
      entry: string,
      adapters: AdapterName[],
      extra: Extra = {},
      {
        batched = false,
        batching,
      }: { batched?: boolean; batching?: { size: number; window: Duration } } = {},
    ) => {
      const deadLetters = new DeadLetterQueue(this, `${name}DeadLetters`, {
        consumer: name,
        alarmTopic: alarms,
      });
      const handler = fn(name, entry, adapters, extra);
      consumers[name] = batched
        ? {
            fn: handler,
            deadLetters,
            queue: new BatchQueue(this, `${name}Batches`, {
              consumer: handler.fn,
              deadLetters: deadLetters.queue,
              ...(batching ? { batching } : {}),
            }).queue,
          }
        : { fn: handler.onAsyncFailure(deadLetters.queue), deadLetters };
      return consumers[name];
    };
    const onEvents = (
      name: string,
      description: string,
      eventPattern: events.EventPattern,
      target: Consumer,
    ) =>
      new events.Rule(this, name, {
        eventBus: bus,
        description,
        eventPattern,
        targets: [
          target.queue
            ? new targets.SqsQueue(target.queue, {
                retryAttempts: 8,
                deadLetterQueue: target.deadLetters.queue,
              })
            : new targets.LambdaFunction(target.fn.fn, {
                retryAttempts: 8,
                deadLetterQueue: target.deadLetters.queue,
              }),
        ],
      });
    // Workflow tasks
    const slow = { timeout: Duration.seconds(30) };
    const task = (file: string) => `functions/workflow/${file}`;
    const backorderBook: AdapterName[] = [
      'orders',
      'ledger',
      'backorders',
      'callbacks',
      'locations',
      'routingPolicies',
      'shipments',
    ];
    const cancelling: AdapterName[] = [
      'orders',
      'releaseWaits',
      'shipments',
      'ledger',
      'backorders',
      'callbacks',
      'payments',
      'events',
    ];
    const holdAfterFailure = fn('HoldAfterFailure', task('hold-after-failure.ts'), [
      'orders',
      'ledger',
      'events',
    ]).fn;
    const preparation = new OrderPreparation(this, 'OrderPreparation', {
      bus,
      confirmOrder: fn('ConfirmOrder', task('confirm-order.ts'), ['orders', 'payments', 'events'], slow).fn,
      allocateOrder: fn('AllocateOrder', task('allocate-order.ts'), ['orders', 'ledger', 'events'], slow).fn,
      routeOrder: fn(
        'RouteOrder',
        task('route-order.ts'),
        ['orders', 'ledger', 'locations', 'routingPolicies', 'routingDecisions', 'events'],
        slow,
      ).fn,
      holdAfterFailure,
    });
    const workflow = new OrderWorkflow(this, 'OrderWorkflow', {
      preparation: preparation.stateMachine,
      registerBackorder: fn('RegisterBackorder', task('register-backorder.ts'), backorderBook).fn,
      cancelOrder: fn('CancelOrder', task('cancel-order.ts'), cancelling).fn,
      requestPick: fn('RequestPick', task('request-pick.ts'), ['orders', 'shipments', 'events', 'callbacks'])
        .fn,
      reportPickSlaBreach: fn('ReportPickSlaBreach', task('report-pick-sla-breach.ts'), [
        'orders',
        'shipments',
        'events',
      ]).fn,
      shipShipment: fn('ShipShipment', task('ship-shipment.ts'), [
        'orders',
        'shipments',
        'ledger',
        'locations',
        'carriers',
        'payments',
        'events',
        'callbacks',
      ]).fn,
      rerouteShipment: fn('RerouteShipment', task('reroute-shipment.ts'), [
        'orders',
        'shipments',
        'ledger',
        'locations',
        'routingPolicies',
        'events',
      ]).fn,
      awaitRelease: fn('AwaitRelease', task('await-release.ts'), ['orders', 'releaseWaits', 'callbacks']).fn,
      holdAfterFailure,
      completeDelivery: fn('CompleteDelivery', task('complete-delivery.ts'), [
        'orders',
        'shipments',
        'events',
      ]).fn,
    });
    resources.stateMachine = workflow.stateMachine;

    // Returns: one execution per return (RMA)
    const returnStep: AdapterName[] = ['orders', 'returns', 'events'];
    const returns = new ReturnWorkflow(this, 'ReturnWorkflow', {
      reviewReturn: fn('ReviewReturn', task('review-return.ts'), [...returnStep, 'returnPolicies']).fn,
      awaitReturn: fn('AwaitReturn', task('await-return.ts'), ['returns', 'callbacks']).fn,
      issueReturnLabel: fn('IssueReturnLabel', task('issue-return-label.ts'), [
        ...returnStep,
        'locations',
        'carriers',
        'shipments',
      ]).fn,
      restockReturn: fn('RestockReturn', task('restock-return.ts'), [...returnStep, 'ledger', 'locations'])
        .fn,
      settleReturn: fn(
        'SettleReturn',
        task('settle-return.ts'),
        [...returnStep, 'payments', 'workflow'],
        slow,
      ).fn,
      closeReturn: fn('CloseReturn', task('close-return.ts'), returnStep).fn,
      flagReturn: fn('FlagReturn', task('flag-return.ts'), ['alerts']).fn,
    });
    resources.returnStateMachine = returns.stateMachine;

    // Events
    onEvents(
      'StockToBackorders',
      'Stock became available somewhere: wake the orders waiting for that SKU',
      {
        source: ['oms.inventory'],
        detailType: ['StockChanged'],
        detail: { data: { after: { ats: [{ numeric: ['>', 0] }] } } },
      },
      consumer('ResumeBackorders', 'functions/events/resume-backorders.ts', backorderBook, {
        timeout: Duration.seconds(60),
      }),
    );
    onEvents(
      'StockAlerts',
      'Stock low or out at a location: raise an alert for ops',
      { source: ['oms.inventory'], detailType: ['StockLow', 'StockOut'] },
      consumer('RecordStockAlert', 'functions/events/record-stock-alert.ts', ['alerts']),
    );
    const shipmentAlerts = consumer('RecordShipmentAlert', 'functions/events/record-shipment-alert.ts', [
      'alerts',
    ]);
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
    onEvents(
      'OrderHoldAlerts',
      'An order went ON_HOLD (a refused capture, a delivery exception, an expired re-route): an alert for ops',
      { source: ['oms.orders'], detailType: ['OrderOnHold'] },
      consumer('RecordOrderAlert', 'functions/events/record-order-alert.ts', ['alerts']),
    );
    const notifier = consumer('SendNotification', 'functions/events/send-notification.ts', [
      'orders',
      'notifications',
      'mailer',
    ]);
    notifier.fn.fn.addEnvironment(
      'OPERATIONS_EMAIL',
      this.node.tryGetContext('operationsEmail') ?? 'ops@example.com',
    );
    onEvents(
      'Notifications',
      'Customers and internal teams are told at each step',
      {
        source: ['oms.orders', 'oms.fulfillment', 'oms.inventory', 'oms.returns', 'oms.subscriptions'],
        detailType: [
          'SubscriptionRenewalUpcoming',
          'OrderEdited',
          ...CUSTOMER_RETURN_NOTICES,
          'OrderConfirmed',
          'OrderCancelled',
          'OrderLineCancelled',
          'ShipmentShipped',
          'ShipmentSlaBreached',
          'StockLow',
          'StockOut',
        ],
      },
      notifier,
    );
    onEvents(
      'TrackingNotifications',
      'Customers hear a parcel is out for delivery or delivered, operations of a delivery exception',
      {
        source: ['oms.fulfillment'],
        detailType: ['ShipmentTrackingUpdated'],
        detail: { data: { latest: { tracking: [...TRACKING_NOTICES], ignored: [{ exists: false }] } } },
      },
      notifier,
    );
    onEvents(
      'KpiProjection',
      'The business figures (GET /kpis) count each order event once, per day and channel',
      {
        source: Object.keys(KPI_EVENTS),
        detailType: Object.values(KPI_EVENTS).flat(),
      },
      consumer('ProjectKpis', 'functions/events/project-kpis.ts', ['kpis'], {}, { batched: true }),
    );
    onEvents(
      'OrderEventsToActivity',
      'Every order event lands in the order activity log ops read',
      { source: ['oms.orders'] },
      consumer(
        'RecordOrderActivity',
        'functions/events/record-order-activity.ts',
        ['activity'],
        {},
        {
          batched: true,
        },
      ),
    );
    // Bulk jobs: ops act on every order a filter matches, a page at a time.
    const bulkJobPage = fn(
      'ProcessBulkJobPage',
      task('process-bulk-job-page.ts'),
      ['bulkJobs', ...cancelling, 'backorders'],
      { timeout: Duration.seconds(60) },
    ).fn;
    const bulkJobs = new BulkJobWorkflow(this, 'BulkJobWorkflow', {
      processBulkJobPage: bulkJobPage,
      failBulkJob: bulkJobPage,
    });
    resources.bulkJobStateMachine = bulkJobs.stateMachine;

    // Outbound webhooks: every event goes to the subscriptions that want it, in order per order;
    // a subscriber that fails is retried by a workflow (backoff for 24 h), then disabled.
    const webhookStream: AdapterName[] = ['webhooks', 'webhookSender'];
    const webhookRetries = new WebhookWorkflow(this, 'WebhookWorkflow', {
      retryWebhookStream: fn('RetryWebhookStream', task('retry-webhook-stream.ts'), webhookStream, slow).fn,
      giveUpWebhookStream: fn('GiveUpWebhookStream', task('give-up-webhook-stream.ts'), [
        'webhooks',
        'alerts',
      ]).fn,
    });
    resources.webhookStateMachine = webhookRetries.stateMachine;
    onEvents(
      'OutboundWebhooks',
      'Every OMS event goes to the webhook subscriptions that want it',
      { source: Object.values(EventSource) },
      consumer(
        'DeliverWebhooks',
        'functions/events/deliver-webhooks.ts',
        [...webhookStream, 'webhookRetries'],
        slow,
        // Subscribers wait on these: up to 10 at once, as soon as the poller has them (no window).
        { batched: true, batching: { size: 10, window: Duration.seconds(0) } },
      ),
    );
    // The sweeper: orders whose StartExecution failed after they were written are started again.
    const sweeper = consumer('RestartPendingOrders', 'functions/events/restart-pending-orders.ts', [
      'orders',
      'workflow',
    ]);
    new events.Rule(this, 'RestartPendingOrdersSchedule', {
      description: 'Every 5 minutes: start the workflow of orders left PENDING (StartExecution failed)',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [
        new targets.LambdaFunction(sweeper.fn.fn, {
          retryAttempts: 2,
          deadLetterQueue: sweeper.deadLetters.queue,
        }),
      ],
    });
    // Subscriptions: every minute the runs and reminders that are due (a minute late at most).
    const subscriptionSweep = consumer('SweepSubscriptions', 'functions/events/sweep-subscriptions.ts', [
      'subscriptions',
      'events',
      'orders',
      'workflow',
    ]);
    // On EventBridge Scheduler (one schedule for every subscription: see the README), retried twice,
    // then dead-lettered like the event consumers.
    const sweepRole = new iam.Role(this, 'SubscriptionSweepScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    new scheduler.Schedule(this, 'SubscriptionSweepSchedule', {
      description: 'Every minute: place the subscription orders due and send the reminders due',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
      target: new schedulerTargets.LambdaInvoke(subscriptionSweep.fn.fn, {
        role: sweepRole,
        retryAttempts: 2,
        deadLetterQueue: subscriptionSweep.deadLetters.queue,
      }),
    });
    Validations.of(sweepRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(subscriptionSweep.fn.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason:
        "CDK's grantInvoke for the schedule's target: this one function and its versions, nothing else.",
    });
    resources.deadLetterQueues = Object.fromEntries(
      Object.entries(consumers).map(([name, c]) => [name, c.deadLetters.queue]),
    );
    // A letter goes back where it came from: a batched consumer's queue, or the function itself.
    const batchQueues = Object.fromEntries(
      Object.entries(consumers).flatMap(([name, c]) => (c.queue ? [[name, c.queue]] : [])),
    );
    resources.redriveQueues = batchQueues;
    resources.redriveTargets = Object.values(consumers).flatMap((c) => (c.queue ? [] : [c.fn.fn]));

    // HTTP: one function per operation of the API contract
    const http = (file: string) => `functions/http/${file}`;
    const stockKeeping: AdapterName[] = ['ledger', 'locations', 'events'];
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
    // One function serves the console's page and files: they are built into its bundle.
    const consoleFiles = new OmsFunction(this, 'GetConsole', {
      entry: http('get-console.ts'),
      afterBundling: consoleBuild,
    }).uses([], resources, { readOnly: true }).fn;
    const webhookSubscriptions = fn('WebhookSubscriptions', http('webhook-subscriptions.ts'), [
      ...webhookStream,
      'webhookRetries',
    ]).fn;
    const bulkJobReads = reader('ReadBulkJobs', http('read-bulk-jobs.ts'), ['bulkJobs']).fn;
    const webhookReads = reader('ReadWebhookSubscriptions', http('read-webhook-subscriptions.ts'), [
      'webhooks',
    ]).fn;
    const marketplaceOrders = fn('TakeMarketplaceOrder', http('take-marketplace-order.ts'), [
      ...cancelling,
      'workflow',
    ]).fn;
    const marketplaceReads = reader('ReadMarketplaceChannels', http('read-marketplace-channels.ts'), [
      'orders',
      'shipments',
      'ledger',
      'stockBuffers',
    ]).fn;
    const subscriptionWrites = fn('WriteSubscriptions', http('write-subscriptions.ts'), [
      'subscriptions',
      'events',
    ]).fn;
    const subscriptionReads = reader('ReadSubscriptions', http('read-subscriptions.ts'), [
      'subscriptions',
    ]).fn;
    const api = new OmsHttpApi(this, 'Http', {
      authorizer: auth.authorizer,
      handlers: {
        placeOrder: fn('PlaceOrder', http('place-order.ts'), ['orders', 'workflow']).fn,
        reorder: fn('Reorder', http('reorder.ts'), ['orders', 'workflow']).fn,
        importOrders: fn('ImportOrders', http('import-orders.ts'), ['orders', 'workflow'], {
          memorySize: 1024,
        }).fn,
        startBulkJob: fn('StartBulkJob', http('start-bulk-job.ts'), ['bulkJobs', 'bulkJobRunner']).fn,
        takeAmazonOrder: marketplaceOrders,
        takeMercadoLibreOrder: marketplaceOrders,
        getMarketplaceOrderStatus: marketplaceReads,
        getStockBuffers: marketplaceReads,
        getStockFeed: marketplaceReads,
        createSubscription: subscriptionWrites,
        changeSubscription: subscriptionWrites,
        listSubscriptions: subscriptionReads,
        getSubscription: subscriptionReads,
        putStockBuffers: fn('PutStockBuffers', http('put-stock-buffers.ts'), ['stockBuffers']).fn,
        listBulkJobs: bulkJobReads,
        getBulkJob: bulkJobReads,
        getOrder: reader('GetOrder', http('get-order.ts'), ['orders']).fn,
        listOrders: reader('ListOrders', http('list-orders.ts'), ['orders']).fn,
        exportOrders: reader('ExportOrders', http('export-orders.ts'), ['orders']).fn,
        listOrderEvents: reader('ListOrderEvents', http('list-order-events.ts'), ['orders', 'activity']).fn,
        getOrderRouting: reader('GetOrderRouting', http('get-order-routing.ts'), [
          'orders',
          'routingDecisions',
        ]).fn,
        countOrders: reader('CountOrders', http('count-orders.ts'), ['orders']).fn,
        listLateOrders: reader('ListLateOrders', http('list-late-orders.ts'), ['orders']).fn,
        listStoppedExecutions: reader('ListStoppedExecutions', http('list-stopped-executions.ts'), [
          'executions',
        ]).fn,
        redriveOrder: fn('RedriveOrder', http('redrive-order.ts'), ['orders', 'executions']).fn,
        getOrderExecution: reader('GetOrderExecution', http('get-order-execution.ts'), [
          'orders',
          'executions',
        ]).fn,
        cancelOrder: fn('CancelOrderRequest', http('cancel-order.ts'), cancelling).fn,
        editOrder: fn('EditOrder', http('edit-order.ts'), cancelling).fn,
        holdOrder: fn('HoldOrder', http('hold-order.ts'), ['orders', 'events']).fn,
        releaseOrder: fn('ReleaseOrder', http('release-order.ts'), [
          'orders',
          'events',
          'releaseWaits',
          'callbacks',
          'backorders',
        ]).fn,
        listOrderShipments: reader('ListOrderShipments', http('list-order-shipments.ts'), [
          'orders',
          'shipments',
        ]).fn,
        postShipmentEvent: fn('PostShipmentEvent', http('post-shipment-event.ts'), [
          'orders',
          'shipments',
          'events',
          'callbacks',
        ]).fn,
        requestReturn: fn('RequestReturn', http('request-return.ts'), [
          'orders',
          'returns',
          'events',
          'shipments',
          'returnPolicies',
          'returnWorkflow',
        ]).fn,
        listReturns: reader('ListReturns', http('list-returns.ts'), ['returns', 'orders']).fn,
        getReturn: reader('GetReturn', http('get-return.ts'), ['returns']).fn,
        approveReturn: fn('ApproveReturn', http('approve-return.ts'), [
          'orders',
          'returns',
          'events',
          'callbacks',
        ]).fn,
        rejectReturn: fn('RejectReturn', http('reject-return.ts'), [
          'orders',
          'returns',
          'events',
          'callbacks',
        ]).fn,
        receiveReturn: fn('ReceiveReturn', http('receive-return.ts'), [
          'orders',
          'returns',
          'events',
          'callbacks',
        ]).fn,
        retryReturn: fn('RetryReturn', http('retry-return.ts'), ['returns', 'callbacks']).fn,
        listReturnStats: reader('ListReturnStats', http('list-return-stats.ts'), ['returns']).fn,
        getReturnPolicy: reader('GetReturnPolicy', http('get-return-policy.ts'), ['returnPolicies']).fn,
        putReturnPolicy: fn('PutReturnPolicy', http('put-return-policy.ts'), ['returnPolicies']).fn,
        receiveCarrierWebhook: fn('ReceiveCarrierWebhook', http('post-carrier-webhook.ts'), [
          'orders',
          'shipments',
          'returns',
          'carriers',
          'callbacks',
          'events',
          'carrierSecrets',
        ]).fn,
        putLocation: fn('PutLocation', http('put-location.ts'), ['locations']).fn,
        getLocation: reader('GetLocation', http('get-location.ts'), ['locations']).fn,
        listLocations: reader('ListLocations', http('list-locations.ts'), ['locations']).fn,
        putStock: fn('PutStock', http('put-stock.ts'), stockKeeping).fn,
        adjustStock: fn('AdjustStock', http('post-stock-adjustment.ts'), stockKeeping).fn,
        importStock: fn('ImportStock', http('import-stock.ts'), stockKeeping, { memorySize: 1024 }).fn,
        getInventory: reader('GetInventory', http('get-inventory.ts'), ['ledger']).fn,
        listInventory: reader('ListInventory', http('list-inventory.ts'), ['ledger']).fn,
        getRoutingPolicy: reader('GetRoutingPolicy', http('get-routing-policy.ts'), ['routingPolicies']).fn,
        putRoutingPolicy: fn('PutRoutingPolicy', http('put-routing-policy.ts'), ['routingPolicies']).fn,
        simulateRouting: reader('SimulateRouting', http('simulate-routing.ts'), [
          'orders',
          'ledger',
          'locations',
          'routingPolicies',
          'routingDecisions',
        ]).fn,
        listAlerts: reader('ListAlerts', http('list-alerts.ts'), ['alerts']).fn,
        listNotifications: reader('ListNotifications', http('list-notifications.ts'), ['notifications']).fn,
        checkInventory: reader('CheckInventory', http('check-inventory.ts'), ['ledger']).fn,
        listDeadLetters: reader('ListDeadLetters', http('list-dead-letters.ts'), ['deadLetters']).fn,
        redriveDeadLetters: fn('RedriveDeadLetters', http('redrive-dead-letters.ts'), [
          'deadLetters',
          'functions',
        ]).fn,
        getOpenApi: reader('GetOpenApi', http('get-openapi.ts'), []).fn,
        getKpis: reader('GetKpis', http('get-kpis.ts'), ['kpis']).fn,
        getDocs: reader('GetDocs', http('get-docs.ts'), []).fn,
        getConsole: consoleFiles,
        getConsoleFile: consoleFiles,
        getHealth: reader('GetHealth', http('get-health.ts'), []).fn,
        ...Object.fromEntries(
          [
            'createWebhookSubscription',
            'deleteWebhookSubscription',
            'enableWebhookSubscription',
            'redeliverWebhook',
          ].map((operation) => [operation, webhookSubscriptions]),
        ),
        ...Object.fromEntries(
          ['listWebhookSubscriptions', 'getWebhookSubscription', 'listWebhookDeliveries'].map((operation) => [
            operation,
            webhookReads,
          ]),
        ),
      },
    });

    // Watched from a stack of its own (OmsMonitoring): CloudFormation takes at most 500 resources a stack.
    this.monitored = {
      alarmTopic: alarms,
      workflows: {
        OrderWorkflow: workflow.stateMachine,
        OrderPreparation: preparation.stateMachine,
        ReturnWorkflow: returns.stateMachine,
        WebhookWorkflow: webhookRetries.stateMachine,
        BulkJobWorkflow: bulkJobs.stateMachine,
      },
      deadLetterQueues: Object.fromEntries(
        Object.entries(consumers).map(([name, c]) => [name, c.deadLetters.queue]),
      ),
      projectionQueues: batchQueues,
      httpApi: api.api,
      table,
    };
  }
}
