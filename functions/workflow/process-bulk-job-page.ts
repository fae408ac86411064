import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { failBulkJob, processBulkJobPage } from '../../shared/application/bulk-jobs';
import { taskHandler } from '../lib/task-handler';

const deps = {
  jobs: awsAdapters.bulkJobs(),
  orders: awsAdapters.orders(),
  releaseWaits: awsAdapters.releaseWaits(),
  shipments: awsAdapters.shipments(),
  ledger: awsAdapters.ledger(),
  backorders: awsAdapters.backorders(),
  callbacks: awsAdapters.callbacks(),
  payments: awsAdapters.payments(),
  events: awsAdapters.events(),
  clock: systemClock,
};

/**
 * Workflow tasks of a bulk job, `{ jobId }`: the next page of orders, or, with `error` (a page
 * that failed past its retries), the job marked FAILED.
 */
export const handler = taskHandler((input: { jobId: string; error?: { Error?: string; Cause?: string } }) =>
  input.error
    ? failBulkJob(deps, { jobId: input.jobId, error: input.error })
    : processBulkJobPage(deps, input),
);
