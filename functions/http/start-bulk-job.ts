import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type BulkJobRequest, startBulkJob } from '../../shared/application/bulk-jobs';
import type { BulkJobRunner, BulkJobStore, Clock } from '../../shared/application/ports';
import { BulkJobBody } from '../../shared/contracts/order-schemas';
import { bulkJobView } from '../../shared/contracts/order-view';
import { httpRoute, json } from '../lib/http-route';

/** Ops hold, release or cancel every order a filter matches: 202 with the job, worked through by its workflow. */
export const createHandler = (deps: { jobs: BulkJobStore; runner: BulkJobRunner; clock: Clock }) =>
  httpRoute({ body: BulkJobBody, idempotent: true }, async (request) => {
    const { job, replayed } = await startBulkJob(deps, {
      ...(request.body as BulkJobRequest),
      principal: request.principal,
      idempotencyKey: request.idempotencyKey,
    });
    return json(202, bulkJobView(job), {
      location: `/bulk-jobs/${job.id}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

export const handler = createHandler({
  jobs: awsAdapters.bulkJobs(),
  runner: awsAdapters.bulkJobRunner(),
  clock: systemClock,
});
