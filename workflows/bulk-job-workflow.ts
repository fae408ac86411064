import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { task } from './tasks';

export interface BulkJobWorkflowTasks {
  /** Acts on the job's next page of orders; `{ done }` once no page is left. */
  processBulkJobPage: IFunction;
  /** Marks the job FAILED when a page fails past its retries. */
  failBulkJob: IFunction;
}

/**
 * One execution per bulk job (named after it): a page of orders per task, again until none is
 * left. Two state transitions a page of 25 orders.
 */
export function bulkJobWorkflowDefinition(scope: Construct, t: BulkJobWorkflowTasks): sfn.IChainable {
  const jobId = sfn.JsonPath.stringAt('$.jobId');
  const page = task(scope, 'ProcessBulkJobPage', t.processBulkJobPage, { jobId }, '$.page');
  const failed = task(scope, 'FailBulkJob', t.failBulkJob, {
    jobId,
    error: sfn.JsonPath.objectAt('$.error'),
  });
  page.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
  const more = new sfn.Choice(scope, 'MorePages')
    .when(sfn.Condition.booleanEquals('$.page.done', true), new sfn.Succeed(scope, 'BulkJobDone'))
    .otherwise(page);
  return page.next(more);
}
