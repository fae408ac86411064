import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { reportPickSlaBreach } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/** Task after the pick SLA passed unanswered: ShipmentSlaBreached on the bus (ops get an alert). */
export const createHandler = (deps: Parameters<typeof reportPickSlaBreach>[0]) =>
  taskHandler((input: { shipmentId: string }) => reportPickSlaBreach(deps, input));

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  events: awsAdapters.events(),
  clock: systemClock,
});
