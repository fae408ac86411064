import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { requestPick } from '../../shared/application/fulfilment';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task: asks the warehouse to pick the shipment; its packed/rejected report ends the wait. */
export const createHandler = (deps: Parameters<typeof requestPick>[0]) =>
  taskHandler((input: { orderId: string; shipmentId: string; taskToken: string; slaHours: number }) =>
    requestPick(deps, input),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  events: awsAdapters.events(),
  callbacks: awsAdapters.callbacks(),
  clock: systemClock,
});
