import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { WorkflowCallbacks } from '../../shared/application/ports';
import { decideReturn, type ReturnDeps } from '../../shared/application/returns';
import { RejectReturnBody, ReturnIdParams } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';
import { returnDeps } from '../lib/return-deps';

/** Ops reject a return the policy left to them: its workflow ends. */
export const createHandler = (deps: ReturnDeps & { callbacks: WorkflowCallbacks }) =>
  httpRoute({ params: ReturnIdParams, body: RejectReturnBody }, async ({ params, body, principal }) =>
    json(
      200,
      await decideReturn(deps, {
        returnId: params.id,
        decision: 'reject',
        reason: body.reason,
        ...(body.note ? { note: body.note } : {}),
        principal,
      }),
    ),
  );

export const handler = createHandler({ ...returnDeps(), callbacks: awsAdapters.callbacks() });
