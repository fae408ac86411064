import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { task, waitTask } from './tasks';

export interface ReturnWorkflowTasks {
  /** Approves what the return policy approves on its own. */
  reviewReturn: IFunction;
  /** Files the execution's wait for ops' decision or for the parcel (`wait` in the payload). */
  awaitReturn: IFunction;
  issueReturnLabel: IFunction;
  restockReturn: IFunction;
  settleReturn: IFunction;
  closeReturn: IFunction;
  /** Raises an alert for ops when a step failed past its retries. */
  flagReturn: IFunction;
  /**
   * How long the customer has to send the parcel once the label is issued.
   * @default Duration.days(45)
   */
  receiptTimeout?: Duration;
  /**
   * How long a return waits for ops' decision before the wait files itself again.
   * @default Duration.days(30)
   */
  decisionWait?: Duration;
}

const returnId = sfn.JsonPath.stringAt('$.returnId');
const statusIs = (path: string, status: string) => sfn.Condition.stringEquals(path, status);

/**
 * One execution per return (name = return id): REQUESTED -> approved by policy or by ops ->
 * label -> wait for the parcel (carrier scans move it IN_TRANSIT meanwhile) -> RECEIVED with a
 * condition per line -> restock -> refund or exchange -> CLOSED; REJECTED ends it at the decision
 * or at inspection. A step that fails past its retries raises an alert and fails the execution,
 * which ops redrive from that step once the cause is fixed.
 */
export function returnWorkflowDefinition(scope: Construct, t: ReturnWorkflowTasks): sfn.IChainable {
  const failed = task(scope, 'FlagReturn', t.flagReturn, {
    returnId,
    error: sfn.JsonPath.stringAt('$.failure.Error'),
    cause: sfn.JsonPath.stringAt('$.failure.Cause'),
  }).next(
    new sfn.Fail(scope, 'ReturnStepFailed', { error: 'ReturnStepFailed', cause: 'See the alert for ops' }),
  );
  const guarded = <T extends sfn.TaskStateBase>(step: T): T => {
    step.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
    return step;
  };
  const rejected = new sfn.Succeed(scope, 'ReturnRejected');
  const close = guarded(task(scope, 'CloseReturn', t.closeReturn, { returnId })).next(
    new sfn.Succeed(scope, 'ReturnClosed'),
  );
  const expire = guarded(task(scope, 'ExpireReturn', t.closeReturn, { returnId, expired: true })).next(
    new sfn.Succeed(scope, 'ReturnExpired', { comment: 'No parcel came back before the label expired' }),
  );

  const settle = guarded(task(scope, 'RestockReturn', t.restockReturn, { returnId }))
    .next(guarded(task(scope, 'SettleReturn', t.settleReturn, { returnId })))
    .next(close);
  const awaitParcel = waitTask(
    scope,
    'AwaitReturnParcel',
    t.awaitReturn,
    { returnId, wait: 'receipt' },
    t.receiptTimeout ?? Duration.days(45),
    '$.receipt',
  );
  // Before the catch-all (which must come last): a label never used closes the return.
  awaitParcel.addCatch(expire, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  guarded(awaitParcel);
  const label = guarded(task(scope, 'IssueReturnLabel', t.issueReturnLabel, { returnId })).next(awaitParcel);
  awaitParcel.next(
    new sfn.Choice(scope, 'CheckReceipt')
      .when(statusIs('$.receipt.status', 'REJECTED'), rejected)
      .otherwise(settle),
  );

  const awaitDecision = waitTask(
    scope,
    'AwaitReturnDecision',
    t.awaitReturn,
    { returnId, wait: 'decision' },
    t.decisionWait ?? Duration.days(30),
    '$.review',
  );
  awaitDecision.addCatch(awaitDecision, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  guarded(awaitDecision);
  const decided = new sfn.Choice(scope, 'CheckDecision')
    .when(statusIs('$.review.status', 'APPROVED'), label)
    .when(statusIs('$.review.status', 'REJECTED'), rejected)
    .otherwise(awaitDecision);
  awaitDecision.next(decided);
  return guarded(task(scope, 'ReviewReturn', t.reviewReturn, { returnId }, '$.review')).next(decided);
}
