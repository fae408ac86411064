import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { failBulkJob, processBulkJobPage } from '../../shared/application/bulk-jobs';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { taskHandler } from '../lib/task-handler';

const deps = { ...cancelOrderDeps(), jobs: awsAdapters.bulkJobs() };

/**
 * Workflow tasks of a bulk job, `{ jobId }`: the next page of orders, or, with `error` (a page
 * that failed past its retries), the job marked FAILED.
 */
export const handler = taskHandler((input: { jobId: string; error?: { Error?: string; Cause?: string } }) =>
  input.error
    ? failBulkJob(deps, { jobId: input.jobId, error: input.error })
    : processBulkJobPage(deps, input),
);
