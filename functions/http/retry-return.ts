import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { retryReturnStep } from '../../shared/application/returns';
import { ReturnIdParams } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';

/** Ops run a return's failed step again once they fixed its cause. */
export const createHandler = (deps: Parameters<typeof retryReturnStep>[0]) =>
  httpRoute({ params: ReturnIdParams }, async ({ params, principal }) =>
    json(202, await retryReturnStep(deps, { returnId: params.id, principal })),
  );

export const handler = createHandler({ returns: awsAdapters.returns(), callbacks: awsAdapters.callbacks() });
