import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { listDeadLetters } from '../../shared/application/dead-letters';
import type { DeadLetterQueues } from '../../shared/application/ports';
import { ListDeadLettersQuery } from '../../shared/contracts/ops-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { deadLetters: DeadLetterQueues }) =>
  httpRoute({ query: ListDeadLettersQuery }, async ({ query }) =>
    json(200, await listDeadLetters(deps, { queue: query.queue })),
  );

export const handler = createHandler({ deadLetters: awsAdapters.deadLetters() });
