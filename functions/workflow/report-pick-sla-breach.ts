import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { reportPickSlaBreach } from '../../shared/application/fulfilment';
import { BUSINESS_METRICS } from '../../shared/contracts/business-metrics';
import { metrics } from '../lib/metrics';
import { taskHandler } from '../lib/task-handler';

/** Task after the pick SLA passed unanswered: ShipmentSlaBreached on the bus (ops get an alert). */
export const createHandler = (deps: Parameters<typeof reportPickSlaBreach>[0]) =>
  taskHandler(async (input: { shipmentId: string }) => {
    const reported = await reportPickSlaBreach(deps, input);
    // The PickSlaBreached alarm's metric (a retried task may count a breach twice: an alarm, not a figure).
    metrics.addMetric(BUSINESS_METRICS.pickSlaBreaches, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return reported;
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  events: awsAdapters.events(),
  clock: systemClock,
});
