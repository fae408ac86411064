import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type ActivityEvent, recordOrderActivity } from '../../shared/application/order-activity';
import type { OrderActivityLog } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS, OrderEventDetailSchema } from '../../shared/contracts/event-schemas';
import { logger } from '../lib/logger';
import { batchItemFailures, queuedEvents } from '../lib/sqs-events';

/**
 * Reads every `oms.orders` event from its queue, a batch at a time, into the orders' activity
 * logs. A malformed event fails alone, loudly: received again, then dead-lettered.
 */
export const createHandler = (deps: { activity: OrderActivityLog }) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (batch) => {
      const { events, unreadable } = queuedEvents(batch);
      // Each type's own schema, so what it carries beyond the order summary (shipments...) is kept.
      const schemas: Record<string, typeof OrderEventDetailSchema> = EVENT_DETAIL_SCHEMAS['oms.orders'];
      const malformed = [...unreadable];
      const recording: ActivityEvent[] = [];
      for (const { messageId, event } of events) {
        const parsed = (schemas[event['detail-type']] ?? OrderEventDetailSchema).safeParse(event.detail);
        if (!parsed.success) {
          logger.error('malformed event', { messageId, eventId: event.id, detailType: event['detail-type'] });
          malformed.push(messageId);
          continue;
        }
        recording.push({ detailType: event['detail-type'], source: event.source, detail: parsed.data });
      }
      await recordOrderActivity(deps, recording);
      return batchItemFailures(malformed);
    });

export const handler = createHandler({ activity: awsAdapters.activity() });
