import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRANSIENT_ERRORS, task, waitTask } from './tasks';

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
  /** Puts the order ON_HOLD for ops after a step failed past its retries (releasing its stock before routing). */
  holdAfterFailure: IFunction;
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

/** Statuses in which the order's shipments are (or are about to be) under way. */
const FULFILMENT_STATUSES = ['ROUTED', 'FULFILLING', 'SHIPPED'];
const inFulfilment = (path: string, ...also: string[]) =>
  sfn.Condition.or(
    ...[...also, ...FULFILMENT_STATUSES].map((status) => sfn.Condition.stringEquals(path, status)),
  );

/** How long a wait for a release lasts before it files itself again (Step Functions keeps a task at most a year). */
const RELEASE_WAIT = Duration.days(300);

type Step = sfn.TaskStateBase | sfn.Map;
interface ReleasePoint {
  /** Names the wait (with the shipment id inside the Map), so the release finds every one. */
  step: string;
  perShipment?: boolean;
}

/**
 * A wait, at no cost, for a held order's release (or its cancellation), before `then`, which runs
 * again once it ends. Past the longest a task may wait it files itself again.
 */
function releaseWait(
  scope: Construct,
  t: OrderWorkflowTasks,
  name: string,
  point: ReleasePoint,
  then: sfn.IChainable,
): sfn.TaskStateBase {
  const held = waitTask(
    scope,
    `HeldBefore${name}`,
    t.awaitRelease,
    {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      step: point.step,
      ...(point.perShipment ? { shipmentId: sfn.JsonPath.stringAt('$.shipmentId') } : {}),
    },
    RELEASE_WAIT,
    sfn.JsonPath.DISCARD,
  );
  held.addCatch(held, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  held.next(then);
  return held;
}

/**
 * A step that finds its order ON_HOLD throws OrderOnHold and parks on `wait`. Added before the
 * step's other catchers, since a catch-all must come last.
 */
function pauseWhenHeld(step: Step, wait: Step): void {
  step.addCatch(wait, { errors: ['OrderOnHold'], resultPath: sfn.JsonPath.DISCARD });
}

/**
 * Whatever a step still throws after its retries holds the order for ops (ON_HOLD with the error,
 * an OrderOnHold alert) and parks the execution on `wait`, never a silent Fail: released once the
 * fault is cleared, the step runs again; cancelled, it closes. Before routing (`releaseStock`) the
 * order lets go of its reservation too and the release allocates afresh.
 */
function holdOnFailure(
  scope: Construct,
  t: OrderWorkflowTasks,
  step: Step,
  name: string,
  wait: sfn.IChainable,
  releaseStock = false,
): void {
  step.addCatch(holdTask(scope, t, `HoldAfter${name}Failure`, name, releaseStock).next(wait), {
    errors: ['States.ALL'],
    resultPath: '$.failure',
  });
}

/**
 * The usual guard of a step: a release wait before it, the step parking there when it finds its
 * order held (`pauses`) and when it fails for good (a hold for ops). Returns the wait.
 */
function guarded(
  scope: Construct,
  t: OrderWorkflowTasks,
  step: Step,
  name: string,
  point: ReleasePoint,
  options: { pauses?: boolean; releaseStock?: boolean } = {},
): sfn.TaskStateBase {
  const wait = releaseWait(scope, t, name, point, step);
  if (options.pauses) pauseWhenHeld(step, wait);
  holdOnFailure(scope, t, step, name, wait, options.releaseStock);
  return wait;
}

/** The task that holds the order for ops with the error a catcher put at `$.failure`. */
function holdTask(scope: Construct, t: OrderWorkflowTasks, id: string, step: string, releaseStock = false) {
  const hold = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: t.holdAfterFailure,
    payload: sfn.TaskInput.fromObject({
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      step,
      error: sfn.JsonPath.objectAt('$.failure'),
      releaseStock,
    }),
    payloadResponseOnly: true,
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  hold.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 });
  return hold;
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
  const heldBeforePick = releaseWait(scope, t, 'Pick', { step: 'pick', perShipment: true }, requestPick);
  pauseWhenHeld(requestPick, heldBeforePick);
  const slaBreached = task(scope, 'ReportPickSlaBreach', t.reportPickSlaBreach, {
    'shipmentId.$': '$.shipmentId',
  });
  requestPick.addCatch(slaBreached, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  holdOnFailure(scope, t, requestPick, 'Pick', heldBeforePick);
  slaBreached.next(requestPick);
  holdOnFailure(scope, t, slaBreached, 'SlaReport', heldBeforePick);

  const awaitDelivery = waitTask(
    scope,
    'AwaitDelivery',
    t.awaitDelivery,
    { shipmentId: sfn.JsonPath.stringAt('$.shipmentId') },
    t.deliveryTimeout ?? Duration.days(60),
    '$.delivery',
  );
  const shipmentDone = new sfn.Succeed(scope, 'ShipmentDone');
  // No final word from the carrier in time: lost, as far as anyone knows; ops take it from there.
  const heldBeforeDelivery = releaseWait(
    scope,
    t,
    'Delivery',
    { step: 'delivery', perShipment: true },
    awaitDelivery,
  );
  awaitDelivery.addCatch(holdTask(scope, t, 'HoldLostShipment', 'Delivery').next(heldBeforeDelivery), {
    errors: ['States.Timeout'],
    resultPath: '$.failure',
  });
  holdOnFailure(scope, t, awaitDelivery, 'Delivery', heldBeforeDelivery);
  const ship = task(scope, 'ShipShipment', t.shipShipment, { 'shipmentId.$': '$.shipmentId' }, '$.ship');
  // A held order ships nothing: no capture, no label, until it is released (a refused capture holds it too).
  guarded(scope, t, ship, 'Ship', { step: 'ship', perShipment: true }, { pauses: true });
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
  const heldBeforeReroute = guarded(scope, t, reroute, 'Reroute', { step: 'reroute', perShipment: true });
  const nextShipment = new sfn.Pass(scope, 'FulfilReroutedShipment', {
    comment: 'The rejected lines now ship from another location: pick them there',
    parameters: { 'orderId.$': '$.reroute.orderId', 'shipmentId.$': '$.reroute.shipmentId' },
  });
  nextShipment.next(requestPick);
  const rejected = new sfn.Succeed(scope, 'ShipmentRejected', {
    comment: 'Nothing left to re-route: the shipment is no longer rejected',
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
  const holdRejected = task(
    scope,
    'HoldRejectedShipment',
    t.rerouteShipment,
    { 'shipmentId.$': '$.shipmentId', expired: true },
    '$.reroute',
  );
  // Held for ops: the release re-routes it (stock may be somewhere now), or ops cancel its units.
  waitForShipmentStock.addCatch(holdRejected.next(heldBeforeReroute), {
    errors: ['States.Timeout'],
    resultPath: '$.error',
  });
  const heldBeforeShipmentStock = releaseWait(
    scope,
    t,
    'ShipmentStock',
    { step: 'shipment-stock', perShipment: true },
    waitForShipmentStock,
  );
  holdOnFailure(scope, t, waitForShipmentStock, 'ShipmentStock', heldBeforeShipmentStock);
  holdOnFailure(scope, t, holdRejected, 'HoldRejected', heldBeforeShipmentStock);
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
  const heldBeforeComplete = guarded(scope, t, complete, 'Complete', { step: 'complete' });
  // Every step inside catches its own failures; anything else that breaks a branch lands here.
  holdOnFailure(scope, t, shipments, 'Fulfilment', heldBeforeComplete);
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

  guarded(scope, t, confirm, 'Confirm', { step: 'confirm' }, { pauses: true });
  guarded(scope, t, publishPlaced, 'PublishPlaced', { step: 'publish' });

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
  const heldBeforeAllocate = guarded(
    scope,
    t,
    allocate,
    'Allocate',
    { step: 'allocate' },
    { pauses: true, releaseStock: true },
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
  guarded(scope, t, waitForStock, 'Stock', { step: 'stock' });
  guarded(scope, t, cancelExpired, 'CancelExpired', { step: 'cancel-expired' });
  const route = task(scope, 'RouteOrder', t.routeOrder, { 'orderId.$': '$.orderId' }, '$.routing');
  pauseWhenHeld(route, releaseWait(scope, t, 'Route', { step: 'route' }, route));
  // Routing failed: the reservation goes too, and the release allocates afresh.
  holdOnFailure(scope, t, route, 'Route', heldBeforeAllocate, true);
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
