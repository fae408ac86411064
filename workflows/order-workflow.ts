import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ORDER_EDITED } from '../shared/domain/order-edits';
import { ShipmentStop } from '../shared/domain/shipment';
import { TRANSIENT_ERRORS, task, waitTask } from './tasks';

/** The tasks of the synchronous burst at the start of an order, run as an Express child. */
export interface OrderPreparationTasks {
  bus: IEventBus;
  confirmOrder: IFunction;
  allocateOrder: IFunction;
  routeOrder: IFunction;
  /** Puts the order ON_HOLD for ops after a step failed past its retries (releasing its stock before routing). */
  holdAfterFailure: IFunction;
}

export interface OrderWorkflowTasks {
  /** The Express child that publishes, confirms, allocates and routes an order, then answers the parent's token. */
  preparation: IStateMachine;
  requestPick: IFunction;
  reportPickSlaBreach: IFunction;
  /** Ships a packed shipment and waits on the same token for the carrier's final update. */
  shipShipment: IFunction;
  rerouteShipment: IFunction;
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
  t: Pick<OrderWorkflowTasks, 'awaitRelease'>,
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
  t: Pick<OrderWorkflowTasks, 'holdAfterFailure'>,
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
function holdTask(
  scope: Construct,
  t: Pick<OrderWorkflowTasks, 'holdAfterFailure'>,
  id: string,
  step: string,
  releaseStock = false,
) {
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
 * raises ShipmentSlaBreached and the wait goes on), then ship it and wait, on one task, for the
 * carrier to deliver it; then the order is DELIVERED when every shipment arrived, or left with ops
 * (ON_HOLD) when not. The happy path has no Choice: a rejected or cancelled shipment fails its
 * task under a ShipmentStop name, caught here (each Choice would cost a transition per order).
 */
function fulfilment(scope: Construct, t: OrderWorkflowTasks, routeAgain: sfn.IChainable): sfn.IChainable {
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
    sfn.JsonPath.DISCARD,
  );
  const heldBeforePick = releaseWait(scope, t, 'Pick', { step: 'pick', perShipment: true }, requestPick);
  pauseWhenHeld(requestPick, heldBeforePick);
  const slaBreached = task(scope, 'ReportPickSlaBreach', t.reportPickSlaBreach, {
    'shipmentId.$': '$.shipmentId',
  });
  requestPick.addCatch(slaBreached, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  slaBreached.next(requestPick);
  holdOnFailure(scope, t, slaBreached, 'SlaReport', heldBeforePick);

  const cancelled = new sfn.Succeed(scope, 'ShipmentCancelled', {
    comment: 'Its units were cancelled before it left: released, the warehouse asked to stop',
  });
  const ship = waitTask(
    scope,
    'ShipAndAwaitDelivery',
    t.shipShipment,
    { shipmentId: sfn.JsonPath.stringAt('$.shipmentId') },
    t.deliveryTimeout ?? Duration.days(60),
    '$.delivery',
  );
  // Shipping is safe to repeat; the delivery wait's own time-out is no transient error.
  ship.addRetry({
    errors: TRANSIENT_ERRORS.filter((e) => e !== 'States.Timeout'),
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });
  // A held order ships nothing: no capture, no label, until it is released (a refused capture holds it too).
  const heldBeforeShip = releaseWait(scope, t, 'Ship', { step: 'ship', perShipment: true }, ship);
  pauseWhenHeld(ship, heldBeforeShip);
  ship.addCatch(cancelled, { errors: [ShipmentStop.CANCELLED], resultPath: sfn.JsonPath.DISCARD });
  // No final word from the carrier in time: lost, as far as anyone knows; ops take it from there.
  ship.addCatch(holdTask(scope, t, 'HoldLostShipment', 'Delivery').next(heldBeforeShip), {
    errors: ['States.Timeout'],
    resultPath: '$.failure',
  });
  holdOnFailure(scope, t, ship, 'Ship', heldBeforeShip);

  const reroute = task(
    scope,
    'RerouteShipment',
    t.rerouteShipment,
    { 'shipmentId.$': '$.shipmentId' },
    '$.reroute',
  );
  const heldBeforeReroute = guarded(scope, t, reroute, 'Reroute', { step: 'reroute', perShipment: true });
  requestPick.addCatch(reroute, { errors: [ShipmentStop.REJECTED], resultPath: sfn.JsonPath.DISCARD });
  requestPick.addCatch(cancelled, { errors: [ShipmentStop.CANCELLED], resultPath: sfn.JsonPath.DISCARD });
  holdOnFailure(scope, t, requestPick, 'Pick', heldBeforePick);
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
  const shipments = new sfn.Map(scope, 'FulfilShipments', {
    itemsPath: '$.routing.shipments',
    resultPath: sfn.JsonPath.DISCARD,
  });
  shipments.itemProcessor(requestPick.next(ship));

  // The order's status (DELIVERED, CANCELLED, or ON_HOLD when a shipment was rejected, returned
  // or lost) is in its output and on the order: a final Choice would only name it, for a transition.
  const complete = task(
    scope,
    'CompleteDelivery',
    t.completeDelivery,
    { 'orderId.$': '$.orderId' },
    '$.completion',
  );
  // An edit called every shipment off before its pick: the order is routed again for its new lines.
  complete.addCatch(routeAgain, { errors: [ORDER_EDITED], resultPath: sfn.JsonPath.DISCARD });
  const heldBeforeComplete = guarded(scope, t, complete, 'Complete', { step: 'complete' });
  // Every step inside catches its own failures; anything else that breaks a branch lands here.
  holdOnFailure(scope, t, shipments, 'Fulfilment', heldBeforeComplete);
  return shipments.next(complete);
}

/** The errors the preparation answers the order's execution with, caught there by name. */
export const PreparationStop = {
  HELD: 'OrderOnHold',
  BACKORDERED: 'OrderBackordered',
  DECLINED: 'PaymentDeclined',
  CLOSED: 'OrderClosed',
} as const;

/**
 * The synchronous burst at the start of an order, as an Express child (billed by duration, not
 * by transition): publish OrderPlaced, confirm (payment), allocate, route, then answer the parent
 * execution's task token: success with the routing, or a PreparationStop error it catches by
 * name. A step that fails past its retries holds the order for ops here and answers OrderOnHold.
 * Started with `from: 'allocate'` (after a backorder wait) it goes straight to allocation. Every
 * step is idempotent: Express runs at least once, and a lost run is simply started again.
 */
export function orderPreparationDefinition(
  scope: Construct,
  t: OrderPreparationTasks,
  /** The order workflow's ARN (a pattern), whose task tokens this machine answers. */
  parentArn: string,
): sfn.IChainable {
  const answer = (id: string, action: 'sendTaskSuccess' | 'sendTaskFailure', parameters: object) => {
    const call = new tasks.CallAwsService(scope, id, {
      service: 'sfn',
      action,
      iamAction: `states:${action.charAt(0).toUpperCase()}${action.slice(1)}`,
      iamResources: [parentArn],
      parameters: { TaskToken: sfn.JsonPath.stringAt('$.token'), ...parameters },
      resultPath: sfn.JsonPath.DISCARD,
    });
    call.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
    return call;
  };
  const stop = (error: string, cause: string) =>
    answer(`Answer${error}`, 'sendTaskFailure', { Error: error, Cause: cause });
  const held = stop(PreparationStop.HELD, 'The order is ON_HOLD: it waits for its release');
  const backordered = stop(PreparationStop.BACKORDERED, 'Not enough stock: the order waits for it');
  const declined = stop(PreparationStop.DECLINED, 'Payment declined: the order is FAILED');
  const closed = stop(PreparationStop.CLOSED, 'Cancelled meanwhile, or already past this stage');
  const prepared = answer('AnswerPrepared', 'sendTaskSuccess', {
    Output: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.routing')),
  });
  /** Whatever a step still throws after its retries holds the order for ops; a held order stops at once. */
  const guard = (
    step: tasks.LambdaInvoke | tasks.EventBridgePutEvents,
    name: string,
    releaseStock = false,
  ) => {
    step.addCatch(held, { errors: [PreparationStop.HELD], resultPath: sfn.JsonPath.DISCARD });
    step.addCatch(holdTask(scope, t, `HoldAfter${name}Failure`, name, releaseStock).next(held), {
      errors: ['States.ALL'],
      resultPath: '$.failure',
    });
  };
  const lambdaStep = (
    id: string,
    fn: IFunction,
    resultSelector: Record<string, string>,
    resultPath: string,
  ) => {
    const step = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId') }),
      resultSelector,
      resultPath,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    step.addRetry({
      errors: TRANSIENT_ERRORS,
      interval: Duration.seconds(1),
      maxAttempts: 3,
      backoffRate: 2,
    });
    return step;
  };

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
  guard(publishPlaced, 'PublishPlaced');
  const confirm = lambdaStep(
    'ConfirmOrder',
    t.confirmOrder,
    { 'status.$': '$.Payload.status', 'paymentStatus.$': '$.Payload.paymentStatus' },
    '$.confirmation',
  );
  guard(confirm, 'Confirm');
  const allocate = lambdaStep(
    'AllocateOrder',
    t.allocateOrder,
    { 'status.$': '$.Payload.status' },
    '$.allocation',
  );
  // Allocation or routing failed: the reservation goes too, and the release allocates afresh.
  guard(allocate, 'Allocate', true);
  const route = task(scope, 'RouteOrder', t.routeOrder, { 'orderId.$': '$.orderId' }, '$.routing');
  guard(route, 'Route', true);

  allocate.next(
    new sfn.Choice(scope, 'CheckAllocation')
      // Past allocation already (a repeated run): routing again finds the order's plan.
      .when(inFulfilment('$.allocation.status', 'ALLOCATED'), route)
      .when(sfn.Condition.stringEquals('$.allocation.status', 'BACKORDERED'), backordered)
      .otherwise(closed),
  );
  route.next(
    new sfn.Choice(scope, 'CheckRouting')
      .when(inFulfilment('$.routing.status'), prepared)
      .when(sfn.Condition.stringEquals('$.routing.status', 'BACKORDERED'), backordered)
      .otherwise(closed),
  );
  publishPlaced
    .next(confirm)
    .next(
      new sfn.Choice(scope, 'CheckPaymentOutcome')
        .when(sfn.Condition.stringEquals('$.confirmation.status', 'FAILED'), declined)
        .otherwise(allocate),
    );
  return new sfn.Choice(scope, 'StartFrom')
    .when(sfn.Condition.isPresent('$.from'), allocate)
    .otherwise(publishPlaced);
}

/**
 * The order's journey as one Standard execution per order (JSONPath only: the local interpreter
 * ignores JSONata). Its happy path is five state transitions for a single-shipment order:
 * PrepareOrder (the Express child above), FulfilShipments, RequestPick, ShipAndAwaitDelivery,
 * CompleteDelivery. Every other outcome leaves it through a Catch: a backorder waits for stock
 * and allocates again, a held order waits for its release, a declined payment or a cancelled
 * order ends it.
 */
export function orderWorkflowDefinition(scope: Construct, t: OrderWorkflowTasks): sfn.IChainable {
  const prepare = (id: string, from?: 'allocate') => {
    const start = new tasks.StepFunctionsStartExecution(scope, id, {
      stateMachine: t.preparation,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      associateWithParent: true,
      input: sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt('$.orderId'),
        token: sfn.JsonPath.taskToken,
        ...(from ? { from } : { placedEvent: sfn.JsonPath.objectAt('$.placedEvent') }),
      }),
      resultPath: '$.routing',
      // An Express execution lasts at most five minutes: past that it was lost, so start it again.
      taskTimeout: sfn.Timeout.duration(Duration.minutes(6)),
    });
    start.addRetry({ errors: ['States.Timeout'], interval: Duration.seconds(1), maxAttempts: 2 });
    return start;
  };
  const prepareOrder = prepare('PrepareOrder');
  const allocateAgain = prepare('AllocateAgain', 'allocate');

  const heldBeforePrepare = releaseWait(scope, t, 'Prepare', { step: 'prepare' }, prepareOrder);
  const holdPrepare = holdTask(scope, t, 'HoldAfterPrepareFailure', 'Prepare', true).next(heldBeforePrepare);

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
  waitForStock.next(allocateAgain);

  const paymentDeclined = new sfn.Succeed(scope, 'OrderFailed', {
    comment: 'Payment declined: the order is FAILED; nothing was reserved yet, so nothing is released.',
  });
  const closed = new sfn.Succeed(scope, 'OrderClosed', {
    comment: 'Cancelled meanwhile, or already past this stage',
  });
  const delivery = fulfilment(scope, t, allocateAgain);
  for (const step of [prepareOrder, allocateAgain]) {
    const discard = { resultPath: sfn.JsonPath.DISCARD };
    step.addCatch(heldBeforePrepare, { errors: [PreparationStop.HELD], ...discard });
    step.addCatch(waitForStock, { errors: [PreparationStop.BACKORDERED], ...discard });
    step.addCatch(paymentDeclined, { errors: [PreparationStop.DECLINED], ...discard });
    step.addCatch(closed, { errors: [PreparationStop.CLOSED], ...discard });
    step.addCatch(holdPrepare, { errors: ['States.ALL'], resultPath: '$.failure' });
    step.next(delivery);
  }
  return prepareOrder;
}
