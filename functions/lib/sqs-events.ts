import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';

/** An EventBridge event as a rule put it on a queue (the message body), with the message's id. */
export interface QueuedEvent {
  messageId: string;
  event: EventBridgeEvent<string, unknown>;
}

/**
 * The events of an SQS batch, and the ids of messages whose body is not an event. Written here:
 * Powertools' batch processor runs a handler per record, and these projections exist to handle a
 * batch as one (one write per row it touches), so only the parsing is shared.
 */
export function queuedEvents(batch: SQSEvent): { events: QueuedEvent[]; unreadable: string[] } {
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

/** Lambda's partial batch response: only these messages are received again (then dead-lettered). */
export const batchItemFailures = (messageIds: readonly string[]) => ({
  batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })),
});
