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
  /** Raises an alert for ops when a step failed past its retries (it then waits for their retry). */
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
/** How long a failed step waits for ops' retry before the wait files itself again. */
const RETRY_WAIT = Duration.days(300);
const statusIs = (path: string, status: string) => sfn.Condition.stringEquals(path, status);

/**
 * One execution per return (name = return id): REQUESTED -> approved by policy or by ops ->
 * label -> wait for the parcel (carrier scans move it IN_TRANSIT meanwhile) -> RECEIVED with a
 * condition per line -> restock -> refund or exchange -> CLOSED; REJECTED ends it at the decision
 * or at inspection. A step that fails past its retries raises an alert and waits for ops to retry
 * it once the cause is fixed: the execution never fails with the return half done.
 */
export function returnWorkflowDefinition(scope: Construct, t: ReturnWorkflowTasks): sfn.IChainable {
  // A step that fails past its retries raises an alert for ops and waits for their retry
  // (POST /returns/{id}/retry) before running again: never a silent failure, nothing lost.
  const guarded = <T extends sfn.TaskStateBase>(step: T): T => {
    const name = step.node.id;
    const retry = waitTask(
      scope,
      `RetryAfter${name}Failure`,
      t.awaitReturn,
      { returnId, wait: 'retry' },
      RETRY_WAIT,
      sfn.JsonPath.DISCARD,
    );
    retry.addCatch(retry, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
    retry.next(step);
    const flag = task(scope, `Flag${name}Failure`, t.flagReturn, {
      returnId,
      step: name,
      error: sfn.JsonPath.stringAt('$.failure.Error'),
      cause: sfn.JsonPath.stringAt('$.failure.Cause'),
    });
    flag.next(retry);
    step.addCatch(flag, { errors: ['States.ALL'], resultPath: '$.failure' });
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
