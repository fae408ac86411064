import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { ReturnRepository } from '../../shared/application/ports';
import { ReturnStatsQuery } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { returns: ReturnRepository }) =>
  httpRoute({ query: ReturnStatsQuery }, async ({ query }) =>
    json(
      200,
      await deps.returns.stats({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
    ),
  );

export const handler = createHandler({ returns: awsAdapters.returns() });
