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
  registerBackorder: IFunction;
  cancelOrder: IFunction;
  /**
   * How long a backordered order waits for stock before it is cancelled.
   * @default Duration.days(7)
   */
  backorderTimeout?: Duration;
}

/** Errors worth another try: the infrastructure's, and a concurrent change of the same order. */
const TRANSIENT_ERRORS = ['StaleOrderVersion', 'States.Timeout'];

/**
 * The order's journey as one Standard execution per order (JSONPath only: the local interpreter
 * ignores JSONata): publish OrderPlaced, confirm (payment), allocate stock or wait for it, route
 * to locations (or wait for stock when no plan within the policy works). Fulfilment and delivery
 * follow `OrderRouted`.
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
  const waitForStock = new tasks.LambdaInvoke(scope, 'WaitForStock', {
    lambdaFunction: t.registerBackorder,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      taskToken: sfn.JsonPath.taskToken,
    }),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(t.backorderTimeout ?? Duration.days(7)),
  });
  waitForStock.addCatch(cancelExpired.next(new sfn.Succeed(scope, 'BackorderExpired')), {
    errors: ['States.Timeout'],
    resultPath: '$.error',
  });
  const route = new tasks.LambdaInvoke(scope, 'RouteOrder', {
    lambdaFunction: t.routeOrder,
    payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId') }),
    resultSelector: { 'status.$': '$.Payload.status' },
    resultPath: '$.routing',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  route.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
  });
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
      .when(sfn.Condition.stringEquals('$.allocation.status', 'ALLOCATED'), route)
      .when(sfn.Condition.stringEquals('$.allocation.status', 'BACKORDERED'), waitForStock)
      .otherwise(closed),
  );
  route.next(
    new sfn.Choice(scope, 'CheckRouting')
      .when(sfn.Condition.stringEquals('$.routing.status', 'ROUTED'), new sfn.Succeed(scope, 'OrderRouted'))
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
