import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Errors worth another try: the infrastructure's, and a concurrent change of the same order. */
export const TRANSIENT_ERRORS = [
  'StaleOrderVersion',
  'PaymentGatewayUnavailable',
  'States.Timeout',
  // Throttled (the service's own errors are retried by every LambdaInvoke already).
  'Lambda.TooManyRequestsException',
];

/** A Lambda task with the workflow's retry of transient errors. */
export function task(
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
export function waitTask(
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
