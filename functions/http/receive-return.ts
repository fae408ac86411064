import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { WorkflowCallbacks } from '../../shared/application/ports';
import { receiveReturn } from '../../shared/application/return-fulfilment';
import type { ReturnDeps } from '../../shared/application/returns';
import { ReceiveReturnBody, ReturnIdParams } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';
import { returnDeps } from '../lib/return-deps';

/** The warehouse the parcel came back to reports what it held (or rejects it); the return's workflow goes on. */
export const createHandler = (deps: ReturnDeps & { callbacks: WorkflowCallbacks }) =>
  httpRoute({ params: ReturnIdParams, body: ReceiveReturnBody }, async ({ params, body, principal }) =>
    json(
      200,
      await receiveReturn(deps, {
        returnId: params.id,
        lines: body.lines,
        ...(body.reject ? { reject: body.reject } : {}),
        ...(body.note ? { note: body.note } : {}),
        principal,
      }),
    ),
  );

export const handler = createHandler({ ...returnDeps(), callbacks: awsAdapters.callbacks() });
