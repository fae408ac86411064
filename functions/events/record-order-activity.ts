import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type ActivityEvent, recordOrderActivity } from '../../shared/application/order-activity';
import type { OrderActivityLog } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS, OrderEventDetailSchema } from '../../shared/contracts/event-schemas';
import { logger } from '../lib/logger';
import { batchItemFailures, readBatch } from '../lib/sqs-events';

/**
 * Reads every `oms.orders` event from its queue, a batch at a time, into the orders' activity
 * logs. A malformed event fails alone, loudly: received again, then dead-lettered.
 */
export const createHandler = (deps: { activity: OrderActivityLog }) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (batch) => {
      // Each type's own schema, so what it carries beyond the order summary (shipments...) is kept.
      const schemas: Record<string, typeof OrderEventDetailSchema> = EVENT_DETAIL_SCHEMAS['oms.orders'];
      const { read, malformed } = readBatch(batch, (event): ActivityEvent | undefined => {
        const parsed = (schemas[event['detail-type']] ?? OrderEventDetailSchema).safeParse(event.detail);
        return parsed.success
          ? { detailType: event['detail-type'], source: event.source, detail: parsed.data }
          : undefined;
      });
      const recording = read.map((r) => r.value);
      await recordOrderActivity(deps, recording);
      return batchItemFailures(malformed);
    });

export const handler = createHandler({ activity: awsAdapters.activity() });
