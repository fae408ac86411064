import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { reportPickSlaBreach } from '../../shared/application/fulfilment';
import { fulfilmentDeps } from '../lib/fulfilment-deps';
import { taskHandler } from '../lib/task-handler';

/** Task after the pick SLA passed unanswered: ShipmentSlaBreached on the bus (ops get an alert). */
export const createHandler = (deps: FulfilmentDeps) =>
  taskHandler((input: { shipmentId: string }) => reportPickSlaBreach(deps, input));

export const handler = createHandler(fulfilmentDeps());
