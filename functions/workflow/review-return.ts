import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { reviewReturn } from '../../shared/application/returns';
import { returnDeps } from '../lib/return-deps';
import { taskHandler } from '../lib/task-handler';

/** Approves what the return policy approves on its own; the rest waits for ops. */
export const createHandler = (deps: Parameters<typeof reviewReturn>[0]) =>
  taskHandler((input: { returnId: string }) => reviewReturn(deps, input.returnId));

export const handler = createHandler({ ...returnDeps(), policies: awsAdapters.returnPolicies() });
