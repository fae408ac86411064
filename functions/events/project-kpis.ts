import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ZodType } from 'zod';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type KpiEvent, kpiMetrics, projectKpiBatch } from '../../shared/application/kpis';
import type { KpiStore } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { logger } from '../lib/logger';
import { metrics } from '../lib/metrics';
import { batchItemFailures, readBatch } from '../lib/sqs-events';

/**
 * Reads the events the figures count (KPI_EVENTS) from its queue, a batch at a time. A malformed
 * event fails alone, loudly: received again, then dead-lettered; the rest of its batch is counted.
 */
export const createHandler = (deps: { kpis: KpiStore }) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (batch) => {
      const schemas = EVENT_DETAIL_SCHEMAS as Record<string, Record<string, ZodType>>;
      const { read, malformed } = readBatch(batch, (event) => {
        const parsed = schemas[event.source]?.[event['detail-type']]?.safeParse(event.detail);
        return parsed?.success
          ? ({ source: event.source, detailType: event['detail-type'], detail: parsed.data } as KpiEvent)
          : undefined;
      });
      const counting = read.map((r) => r.value);
      const { counted } = await projectKpiBatch(deps, counting);
      logger.info('batch counted', {
        events: counting.length,
        counted: counted.length,
        malformed: malformed.length,
      });
      // Counted once here, so the dashboard's figures agree with GET /kpis.
      for (const fact of counted)
        for (const metric of kpiMetrics(fact))
          metrics.addMetric(metric.name, MetricUnit[metric.unit], metric.value);
      return batchItemFailures(malformed);
    });

export const handler = createHandler({ kpis: awsAdapters.kpis() });
