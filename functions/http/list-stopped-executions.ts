import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { OrderExecutions } from '../../shared/application/ports';
import { StoppedExecutionsQuery } from '../../shared/contracts/ops-schemas';
import { httpRoute, json } from '../lib/http-route';

/** GET /ops/stopped-executions: order workflows that failed, timed out or were aborted, to redrive. */
export const createHandler = (deps: { executions: OrderExecutions }) =>
  httpRoute({ query: StoppedExecutionsQuery }, async ({ query }) =>
    json(200, { items: await deps.executions.stopped(query.limit) }),
  );

export const handler = createHandler({ executions: awsAdapters.executions() });
