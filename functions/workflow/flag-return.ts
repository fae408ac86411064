import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { flagReturn } from '../../shared/application/returns';
import { taskHandler } from '../lib/task-handler';

export const createHandler = (deps: Parameters<typeof flagReturn>[0]) =>
  taskHandler((input: { returnId: string; step: string; error: string; cause?: string }) =>
    flagReturn(deps, input),
  );

export const handler = createHandler({ alerts: awsAdapters.alerts(), clock: systemClock });
