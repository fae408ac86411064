import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { redriveDeadLetters } from '../../shared/application/dead-letters';
import type { Clock, DeadLetterQueues, FunctionInvoker } from '../../shared/application/ports';
import { DeadLetterQueueParams, RedriveBody } from '../../shared/contracts/ops-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: {
  deadLetters: DeadLetterQueues;
  functions: FunctionInvoker;
  clock: Clock;
}) =>
  httpRoute({ params: DeadLetterQueueParams, body: RedriveBody }, async ({ params, body }) =>
    json(200, await redriveDeadLetters(deps, { queue: params.queue, max: body.max })),
  );

export const handler = createHandler({
  deadLetters: awsAdapters.deadLetters(),
  functions: awsAdapters.functions(),
  clock: systemClock,
});
