import { closeReturn } from '../../shared/application/return-fulfilment';
import { returnDeps } from '../lib/return-deps';
import { taskHandler } from '../lib/task-handler';

export const createHandler = (deps: Parameters<typeof closeReturn>[0]) =>
  taskHandler((input: { returnId: string; expired?: boolean }) => closeReturn(deps, input));

export const handler = createHandler(returnDeps());
