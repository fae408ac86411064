import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { OrderRepository, ReturnRepository } from '../../shared/application/ports';
import { listReturns } from '../../shared/application/returns';
import { ListReturnsQuery } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { returns: ReturnRepository; orders: OrderRepository }) =>
  httpRoute({ query: ListReturnsQuery }, async ({ query, principal }) => {
    const { limit, cursor, ...filter } = query;
    const page = await listReturns(deps, filter, { limit, ...(cursor ? { cursor } : {}) }, principal);
    return json(200, page);
  });

export const handler = createHandler({ returns: awsAdapters.returns(), orders: awsAdapters.orders() });
