import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export interface OrderWorkflowTasks {
  bus: IEventBus;
  confirmOrder: IFunction;
}

/** Errors worth another try: the infrastructure's, and a concurrent change of the same order. */
const TRANSIENT_ERRORS = ['StaleOrderVersion', 'States.Timeout'];

/**
 * The order's journey as one Standard execution per order (JSONPath only: the local interpreter
 * ignores JSONata). This slice ends after Confirm; allocation, routing, fulfilment and delivery
 * are added as states after `OrderConfirmed`.
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
  const confirmed = new sfn.Succeed(scope, 'OrderConfirmed');

  return publishPlaced
    .next(confirm)
    .next(
      new sfn.Choice(scope, 'CheckPaymentOutcome')
        .when(sfn.Condition.stringEquals('$.confirmation.status', 'FAILED'), paymentDeclined)
        .otherwise(confirmed),
    );
}
