import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { ReturnDeps } from '../../shared/application/returns';

/** What every step of a return reads and writes: the return, its order, the bus. */
export const returnDeps = (): ReturnDeps => ({
  orders: awsAdapters.orders(),
  returns: awsAdapters.returns(),
  events: awsAdapters.events(),
  clock: systemClock,
});
