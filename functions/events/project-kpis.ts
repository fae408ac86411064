import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { ZodType } from 'zod';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type KpiEvent, kpiMetrics, projectKpis } from '../../shared/application/kpis';
import type { KpiStore } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import { logger } from '../lib/logger';
import { metrics } from '../lib/metrics';

/** Rule target for the events the figures count (KPI_EVENTS). A malformed event fails loudly: retried, then dead-lettered. */
export const createHandler = (deps: { kpis: KpiStore }) =>
  middy<EventBridgeEvent<string, unknown>>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const schemas = EVENT_DETAIL_SCHEMAS as Record<string, Record<string, ZodType>>;
      const parsed = schemas[event.source]?.[event['detail-type']]?.safeParse(event.detail);
      if (!parsed?.success)
        throw new ValidationError(`Malformed ${event.source} ${event['detail-type']} event ${event.id}`, []);
      const { counted, fact } = await projectKpis(deps, {
        source: event.source,
        detailType: event['detail-type'],
        detail: parsed.data,
      } as KpiEvent);
      if (!counted) {
        logger.info('event already counted', { eventId: event.id });
        return;
      }
      // Counted once here, so the dashboard's figures agree with GET /kpis.
      for (const metric of kpiMetrics(fact))
        metrics.addMetric(metric.name, MetricUnit[metric.unit], metric.value);
    });

export const handler = createHandler({ kpis: awsAdapters.kpis() });
