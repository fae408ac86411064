import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { logger } from './logger';

/** An EventBridge event as a rule put it on a queue (the message body), with the message's id. */
interface QueuedEvent {
  messageId: string;
  event: EventBridgeEvent<string, unknown>;
}

/**
 * The events of an SQS batch, and the ids of messages whose body is not an event. Written here:
 * Powertools' batch processor runs a handler per record, and these projections exist to handle a
 * batch as one (one write per row it touches), so only the parsing is shared.
 */
function queuedEvents(batch: SQSEvent): { events: QueuedEvent[]; unreadable: string[] } {
  const events: QueuedEvent[] = [];
  const unreadable: string[] = [];
  for (const record of batch.Records) {
    try {
      const event = JSON.parse(record.body) as EventBridgeEvent<string, unknown>;
      if (typeof event?.source !== 'string' || typeof event['detail-type'] !== 'string')
        throw new Error('not an event');
      events.push({ messageId: record.messageId, event });
    } catch {
      unreadable.push(record.messageId);
    }
  }
  return { events, unreadable };
}

/**
 * The batch's events as `read` makes them (undefined: malformed), and the ids of the messages that
 * are not events or were malformed, each logged: they fail alone, received again, then dead-lettered.
 */
export function readBatch<T>(
  batch: SQSEvent,
  read: (event: EventBridgeEvent<string, unknown>) => T | undefined,
): { read: Array<{ messageId: string; value: T }>; malformed: string[] } {
  const { events, unreadable } = queuedEvents(batch);
  const malformed = [...unreadable];
  const values: Array<{ messageId: string; value: T }> = [];
  for (const { messageId, event } of events) {
    const value = read(event);
    if (value === undefined) {
      logger.error('malformed event', { messageId, eventId: event.id, detailType: event['detail-type'] });
      malformed.push(messageId);
    } else values.push({ messageId, value });
  }
  return { read: values, malformed };
}

/** Lambda's partial batch response: only these messages are received again (then dead-lettered). */
export const batchItemFailures = (messageIds: readonly string[]) => ({
  batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })),
});
