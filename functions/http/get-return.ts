import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { ReturnRepository } from '../../shared/application/ports';
import { getReturn } from '../../shared/application/returns';
import { ReturnIdParams } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { returns: ReturnRepository }) =>
  httpRoute({ params: ReturnIdParams }, async ({ params, principal }) =>
    json(200, await getReturn(deps, params.id, principal)),
  );

export const handler = createHandler({ returns: awsAdapters.returns() });
