import type { EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { WebhookRetries } from '../../shared/application/ports';
import {
  deliverEvent,
  SUBSCRIPTION_LIST_MAX_AGE_MS,
  type WebhookDeps,
  withCachedSubscriptionList,
} from '../../shared/application/webhooks';
import { EventMetadataSchema } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import { taskHandler } from '../lib/task-handler';

const Envelope = z.object({ metadata: EventMetadataSchema, data: z.unknown() });

/**
 * Rule target for every OMS event: files and sends it to each subscription that wants it. Only
 * the envelope is checked (metadata and a data object): subscribers get each event as published.
 */
export const createHandler = (deps: WebhookDeps & { retries: WebhookRetries }) =>
  taskHandler(async (event: EventBridgeEvent<string, unknown>) => {
    const envelope = Envelope.safeParse(event.detail);
    if (!envelope.success)
      throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
    return deliverEvent(deps, {
      source: event.source,
      detailType: event['detail-type'],
      detail: { metadata: envelope.data.metadata, data: envelope.data.data },
    });
  });

export const handler = createHandler({
  webhooks: withCachedSubscriptionList(awsAdapters.webhooks(), SUBSCRIPTION_LIST_MAX_AGE_MS),
  sender: awsAdapters.webhookSender(),
  retries: awsAdapters.webhookRetries(),
  clock: systemClock,
});
