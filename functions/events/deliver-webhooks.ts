import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { WebhookRetries } from '../../shared/application/ports';
import {
  deliverEvents,
  SUBSCRIPTION_LIST_MAX_AGE_MS,
  type WebhookDeps,
  withCachedSubscriptionList,
} from '../../shared/application/webhooks';
import { EventMetadataSchema } from '../../shared/contracts/event-schemas';
import type { WebhookSourceEvent } from '../../shared/domain/webhooks';
import { logger } from '../lib/logger';
import { batchItemFailures, readBatch } from '../lib/sqs-events';

const Envelope = z.object({ metadata: EventMetadataSchema, data: z.unknown() });

/**
 * Reads every OMS event from its queue, a batch at a time, and files and sends each to the
 * subscriptions that want it. Only the envelope is checked (metadata and a data object):
 * subscribers get each event as published. An event that is malformed, or could not be filed,
 * fails alone: received again, then dead-lettered. (A subscriber that fails is the stream's
 * retries' business, not this function's.)
 */
export const createHandler = (deps: WebhookDeps & { retries: WebhookRetries }) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (batch) => {
      const { read, malformed } = readBatch(batch, (event): WebhookSourceEvent | undefined => {
        const envelope = Envelope.safeParse(event.detail);
        return envelope.success
          ? {
              source: event.source,
              detailType: event['detail-type'],
              detail: { metadata: envelope.data.metadata, data: envelope.data.data },
            }
          : undefined;
      });
      const sending = read.map(({ messageId, value }) => ({ key: messageId, event: value }));
      const { failed } = await deliverEvents(deps, sending);
      return batchItemFailures([...malformed, ...failed]);
    });

export const handler = createHandler({
  webhooks: withCachedSubscriptionList(awsAdapters.webhooks(), SUBSCRIPTION_LIST_MAX_AGE_MS),
  sender: awsAdapters.webhookSender(),
  retries: awsAdapters.webhookRetries(),
  clock: systemClock,
});
