import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { holdAfterFailure } from '../../shared/application/holds';
import type { StepFailure } from '../../shared/domain/hold';
import { taskHandler } from '../lib/task-handler';

/** Step Functions task after a step failed past its retries: ON_HOLD for ops, never a silent Fail. */
export const createHandler = (deps: Parameters<typeof holdAfterFailure>[0]) =>
  taskHandler((input: { orderId: string; step: string; error?: StepFailure; releaseStock: boolean }) =>
    holdAfterFailure(deps, input),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  ledger: awsAdapters.ledger(),
  events: awsAdapters.events(),
  clock: systemClock,
});
