import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getBulkJob } from '../../shared/application/bulk-jobs';
import type { BulkJobStore } from '../../shared/application/ports';
import { PageQuery } from '../../shared/contracts/inventory-schemas';
import { BulkJobParams } from '../../shared/contracts/order-schemas';
import { bulkJobView } from '../../shared/contracts/order-view';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

/** A bulk job's progress, and the jobs newest first: one read-only function for both. */
export const createHandler = (deps: { jobs: BulkJobStore }) => {
  return byRouteKey({
    'GET /bulk-jobs/{id}': httpRoute({ params: BulkJobParams }, async ({ params }) =>
      json(200, bulkJobView(await getBulkJob(deps, params.id))),
    ),
    'GET /bulk-jobs': httpRoute({ query: PageQuery }, async ({ query }) => {
      const page = await deps.jobs.list({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return json(200, { ...page, items: page.items.map(bulkJobView) });
    }),
  });
};

export const handler = createHandler({ jobs: awsAdapters.bulkJobs() });
