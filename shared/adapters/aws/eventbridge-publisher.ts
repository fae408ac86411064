import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher } from '../../application/ports';
import type { DomainEvent } from '../../domain/order-events';

const MAX_ENTRIES_PER_CALL = 10;

/** Puts domain events on the OMS bus; any rejected entry fails the call so the caller retries. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_CALL) {
      const batch = events.slice(i, i + MAX_ENTRIES_PER_CALL);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.detail.metadata.occurredAt),
          })),
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const failures = (result.Entries ?? [])
          .filter((e) => e.ErrorCode)
          .map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} event(s): ${failures.join('; ')}`);
      }
    }
  }
}
