import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { ReturnWait } from '../../shared/application/ports';
import { awaitReturnStep } from '../../shared/application/returns';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: ops' decision or the warehouse's receipt report ends the wait. */
export const createHandler = (deps: Parameters<typeof awaitReturnStep>[0]) =>
  taskHandler((input: { returnId: string; wait: ReturnWait; taskToken: string }) =>
    awaitReturnStep(deps, input),
  );

export const handler = createHandler({ returns: awsAdapters.returns(), callbacks: awsAdapters.callbacks() });
