import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export interface OrderWorkflowTasks {
  bus: IEventBus;
  confirmOrder: IFunction;
  allocateOrder: IFunction;
  routeOrder: IFunction;
  requestPick: IFunction;
  reportPickSlaBreach: IFunction;
  shipShipment: IFunction;
  rerouteShipment: IFunction;
  awaitDelivery: IFunction;
  completeDelivery: IFunction;
  /** Files a held order's wait for its release (a step found it ON_HOLD). */
  awaitRelease: IFunction;
  /**
   * How long a warehouse has to answer a pick request before ShipmentSlaBreached (the wait goes on).
   * @default Duration.hours(48)
   */
  pickSla?: Duration;
  /**
   * How long a shipment may travel before the wait for the carrier gives up and ops take over.
   * @default Duration.days(60)
   */
  deliveryTimeout?: Duration;
  registerBackorder: IFunction;
  cancelOrder: IFunction;
  /**
   * How long a backordered order waits for stock before it is cancelled.
   * @default Duration.days(7)
   */
  backorderTimeout?: Duration;
}

/** Errors worth another try: the infrastructure's, and a concurrent change of the same order. */
const TRANSIENT_ERRORS = ['StaleOrderVersion', 'PaymentGatewayUnavailable', 'States.Timeout'];

/** Statuses in which the order's shipments are (or are about to be) under way. */
const FULFILMENT_STATUSES = ['ROUTED', 'FULFILLING', 'SHIPPED'];
const inFulfilment = (path: string, ...also: string[]) =>
  sfn.Condition.or(
    ...[...also, ...FULFILMENT_STATUSES].map((status) => sfn.Condition.stringEquals(path, status)),
  );

/** A Lambda task with the workflow's retry of transient errors. */
function task(
  scope: Construct,
  id: string,
  fn: IFunction,
  payload: Record<string, unknown>,
  resultPath?: string,
) {
  const invoke = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    resultPath: resultPath ?? sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  invoke.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });
  return invoke;
}

/**
 * A Lambda task the execution then waits on, at no cost, until someone answers its task token
 * (SendTaskSuccess) or `timeout` passes (States.Timeout).
 */
function waitTask(
  scope: Construct,
  id: string,
  fn: IFunction,
  payload: Record<string, unknown>,
  timeout: Duration,
  resultPath: string,
) {
  return new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ ...payload, taskToken: sfn.JsonPath.taskToken }),
    resultPath,
    taskTimeout: sfn.Timeout.duration(timeout),
  });
}

/** How long a wait for a release lasts before it files itself again (Step Functions keeps a task at most a year). */
const RELEASE_WAIT = Duration.days(300);

/**
 * A step that finds its order ON_HOLD throws OrderOnHold: the execution parks, at no cost, on a
 * wait for the release (or a cancellation) named after the step, then runs the step again. Added
 * before the step's other catchers, since a catch-all must come last.
 */
function pauseWhenHeld(
  scope: Construct,
  t: OrderWorkflowTasks,
  step: tasks.LambdaInvoke,
  name: string,
  wait: { step: string; perShipment?: boolean },
): void {
  const held = waitTask(
    scope,
    `HeldBefore${name}`,
    t.awaitRelease,
    {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      step: wait.step,
      ...(wait.perShipment ? { shipmentId: sfn.JsonPath.stringAt('$.shipmentId') } : {}),
    },
    RELEASE_WAIT,
    sfn.JsonPath.DISCARD,
  );
  held.addCatch(held, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  held.next(step);
  step.addCatch(held, { errors: ['OrderOnHold'], resultPath: sfn.JsonPath.DISCARD });
}

/**
 * Each shipment in parallel (a Map): ask its warehouse to pick it and wait (an unanswered SLA
 * raises ShipmentSlaBreached and the wait goes on), ship it, wait for the carrier to deliver it;
 * then the order is DELIVERED when every shipment arrived, or left with ops (ON_HOLD) when not.
 */
function fulfilment(scope: Construct, t: OrderWorkflowTasks): sfn.IChainable {
  const pickSla = t.pickSla ?? Duration.hours(48);
  const requestPick = waitTask(
    scope,
    'RequestPick',
    t.requestPick,
    {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      shipmentId: sfn.JsonPath.stringAt('$.shipmentId'),
      slaHours: pickSla.toHours({ integral: false }),
    },
    pickSla,
    '$.pick',
  );
  pauseWhenHeld(scope, t, requestPick, 'Pick', { step: 'pick', perShipment: true });
  const slaBreached = task(scope, 'ReportPickSlaBreach', t.reportPickSlaBreach, {
    'shipmentId.$': '$.shipmentId',
  });
  requestPick.addCatch(slaBreached, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  slaBreached.next(requestPick);

  const awaitDelivery = waitTask(
    scope,
    'AwaitDelivery',
    t.awaitDelivery,
    { shipmentId: sfn.JsonPath.stringAt('$.shipmentId') },
    t.deliveryTimeout ?? Duration.days(60),
    '$.delivery',
  );
  const shipmentDone = new sfn.Succeed(scope, 'ShipmentDone');
  awaitDelivery.addCatch(shipmentDone, { errors: ['States.Timeout'], resultPath: '$.error' });
  const ship = task(scope, 'ShipShipment', t.shipShipment, { 'shipmentId.$': '$.shipmentId' }, '$.ship');
  // A held order ships nothing: no capture, no label, until it is released (a refused capture holds it too).
  pauseWhenHeld(scope, t, ship, 'Ship', { step: 'ship', perShipment: true });
  const cancelled = new sfn.Succeed(scope, 'ShipmentCancelled', {
    comment: 'Its units were cancelled before it left: released, the warehouse asked to stop',
  });
  const shipped = new sfn.Choice(scope, 'CheckShip')
    .when(sfn.Condition.booleanEquals('$.ship.cancelled', true), cancelled)
    .otherwise(awaitDelivery.next(shipmentDone));

  const reroute = task(
    scope,
    'RerouteShipment',
    t.rerouteShipment,
    { 'shipmentId.$': '$.shipmentId' },
    '$.reroute',
  );
  const nextShipment = new sfn.Pass(scope, 'FulfilReroutedShipment', {
    comment: 'The rejected lines now ship from another location: pick them there',
    parameters: { 'orderId.$': '$.reroute.orderId', 'shipmentId.$': '$.reroute.shipmentId' },
  });
  nextShipment.next(requestPick);
  const rejected = new sfn.Succeed(scope, 'ShipmentRejected', {
    comment: 'No other location could ship it in time: the order is ON_HOLD with ops',
  });
  // No location has the lines now: wait, at no cost, for stock events, then try again.
  const waitForShipmentStock = waitTask(
    scope,
    'WaitForShipmentStock',
    t.registerBackorder,
    { orderId: sfn.JsonPath.stringAt('$.orderId'), shipmentId: sfn.JsonPath.stringAt('$.shipmentId') },
    t.backorderTimeout ?? Duration.days(7),
    sfn.JsonPath.DISCARD,
  );
  waitForShipmentStock.addCatch(
    task(
      scope,
      'HoldRejectedShipment',
      t.rerouteShipment,
      { 'shipmentId.$': '$.shipmentId', expired: true },
      '$.reroute',
    ).next(rejected),
    { errors: ['States.Timeout'], resultPath: '$.error' },
  );
  waitForShipmentStock.next(reroute);
  reroute.next(
    new sfn.Choice(scope, 'CheckReroute')
      .when(sfn.Condition.stringEquals('$.reroute.outcome', 'rerouted'), nextShipment)
      .when(sfn.Condition.stringEquals('$.reroute.outcome', 'backordered'), waitForShipmentStock)
      .when(sfn.Condition.stringEquals('$.reroute.outcome', 'cancelled'), cancelled)
      .otherwise(rejected),
  );
  const perShipment = requestPick.next(
    new sfn.Choice(scope, 'CheckPick')
      .when(sfn.Condition.stringEquals('$.pick.outcome', 'packed'), ship.next(shipped))
      .when(sfn.Condition.stringEquals('$.pick.outcome', 'cancelled'), cancelled)
      .otherwise(reroute),
  );
  const shipments = new sfn.Map(scope, 'FulfilShipments', {
    itemsPath: '$.routing.shipments',
    resultPath: sfn.JsonPath.DISCARD,
  });
  shipments.itemProcessor(perShipment);

  const complete = task(
    scope,
    'CompleteDelivery',
    t.completeDelivery,
    { 'orderId.$': '$.orderId' },
    '$.completion',
  );
  return shipments.next(complete).next(
    new sfn.Choice(scope, 'CheckDelivery')
      .when(
        sfn.Condition.stringEquals('$.completion.status', 'DELIVERED'),
        new sfn.Succeed(scope, 'OrderDelivered'),
      )
      .when(
        sfn.Condition.stringEquals('$.completion.status', 'CANCELLED'),
        new sfn.Succeed(scope, 'OrderCancelled', { comment: 'Every shipment was cancelled before it left' }),
      )
      .otherwise(
        new sfn.Succeed(scope, 'LeftWithOps', {
          comment: 'A shipment was rejected, returned or lost: the order is ON_HOLD',
        }),
      ),
  );
}

/**
 * The order's journey as one Standard execution per order (JSONPath only: the local interpreter
 * ignores JSONata): publish OrderPlaced, confirm (payment), allocate stock or wait for it, route
 * to locations (or wait for stock when no plan within the policy works), then fulfil each
 * shipment and complete the order when all are delivered.
 */
export function orderWorkflowDefinition(scope: Construct, t: OrderWorkflowTasks): sfn.IChainable {
  const publishPlaced = new tasks.EventBridgePutEvents(scope, 'PublishOrderPlaced', {
    entries: [
      {
        eventBus: t.bus,
        source: 'oms.orders',
        detailType: 'OrderPlaced',
        detail: sfn.TaskInput.fromJsonPathAt('$.placedEvent'),
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  publishPlaced.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(1),
    maxAttempts: 5,
    backoffRate: 2,
  });

  const confirm = new tasks.LambdaInvoke(scope, 'ConfirmOrder', {
    lambdaFunction: t.confirmOrder,
    payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId') }),
    resultSelector: { 'status.$': '$.Payload.status', 'paymentStatus.$': '$.Payload.paymentStatus' },
    resultPath: '$.confirmation',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  confirm.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });

  pauseWhenHeld(scope, t, confirm, 'Confirm', { step: 'confirm' });
  const confirmationFailed = new sfn.Fail(scope, 'ConfirmationFailed', {
    error: 'ConfirmationFailed',
    cause:
      'Confirming the order failed after retries; the order is still PENDING and the execution can be redriven',
  });
  confirm.addCatch(confirmationFailed, { errors: ['States.ALL'], resultPath: '$.error' });

  const paymentDeclined = new sfn.Succeed(scope, 'OrderFailed', {
    comment: 'Payment declined: the order is FAILED; nothing was reserved yet, so nothing is released.',
  });

  const allocate = new tasks.LambdaInvoke(scope, 'AllocateOrder', {
    lambdaFunction: t.allocateOrder,
    payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId') }),
    resultSelector: { 'status.$': '$.Payload.status' },
    resultPath: '$.allocation',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  allocate.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });
  pauseWhenHeld(scope, t, allocate, 'Allocate', { step: 'allocate' });
  allocate.addCatch(
    new sfn.Fail(scope, 'AllocationFailed', {
      error: 'AllocationFailed',
      cause: 'Allocation failed after retries',
    }),
    {
      errors: ['States.ALL'],
      resultPath: '$.error',
    },
  );

  const cancelExpired = new tasks.LambdaInvoke(scope, 'CancelExpiredBackorder', {
    lambdaFunction: t.cancelOrder,
    payload: sfn.TaskInput.fromObject({
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      reason: 'backorder expired',
    }),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  cancelExpired.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 5,
    backoffRate: 2,
  });

  // Waits, at no cost, until stock events wake it (SendTaskSuccess), then allocates again.
  const waitForStock = waitTask(
    scope,
    'WaitForStock',
    t.registerBackorder,
    { orderId: sfn.JsonPath.stringAt('$.orderId') },
    t.backorderTimeout ?? Duration.days(7),
    sfn.JsonPath.DISCARD,
  );
  waitForStock.addCatch(cancelExpired.next(new sfn.Succeed(scope, 'BackorderExpired')), {
    errors: ['States.Timeout'],
    resultPath: '$.error',
  });
  const route = task(scope, 'RouteOrder', t.routeOrder, { 'orderId.$': '$.orderId' }, '$.routing');
  pauseWhenHeld(scope, t, route, 'Route', { step: 'route' });
  route.addCatch(
    new sfn.Fail(scope, 'RoutingFailed', {
      error: 'RoutingFailed',
      cause: 'Routing failed after retries; the order keeps its network reservation and can be redriven',
    }),
    { errors: ['States.ALL'], resultPath: '$.error' },
  );
  const closed = new sfn.Succeed(scope, 'OrderClosed', {
    comment: 'Cancelled meanwhile, or already past this stage',
  });
  allocate.next(
    new sfn.Choice(scope, 'CheckAllocation')
      // Past allocation already: an execution re-run from its input (resumed) catches up through Route.
      .when(inFulfilment('$.allocation.status', 'ALLOCATED'), route)
      .when(sfn.Condition.stringEquals('$.allocation.status', 'BACKORDERED'), waitForStock)
      .otherwise(closed),
  );
  route.next(
    new sfn.Choice(scope, 'CheckRouting')
      .when(inFulfilment('$.routing.status'), fulfilment(scope, t))
      .when(sfn.Condition.stringEquals('$.routing.status', 'BACKORDERED'), waitForStock)
      .otherwise(closed),
  );
  waitForStock.next(allocate);

  return publishPlaced
    .next(confirm)
    .next(
      new sfn.Choice(scope, 'CheckPaymentOutcome')
        .when(sfn.Condition.stringEquals('$.confirmation.status', 'FAILED'), paymentDeclined)
        .otherwise(allocate),
    );
}
