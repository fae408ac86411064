import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationOutbox, Page } from '../../application/ports';
import type { Notification, OutboxEntry } from '../../domain/notifications';
import { DynamoEntityLog } from './dynamo-entity-log';

/** The notification outbox in the table: one entry per notification id, newest first. */
export class DynamoNotificationOutbox implements NotificationOutbox {
  private readonly log: DynamoEntityLog<OutboxEntry>;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.log = new DynamoEntityLog<OutboxEntry>(db, tableName, 'NOTIFICATION', (n) => n.createdAt);
  }

  async file(
    notification: Notification,
    leaseUntil: string,
  ): Promise<{ entry: OutboxEntry; claimed: boolean }> {
    const entry: OutboxEntry = { ...notification, delivery: 'PENDING', sendingUntil: leaseUntil };
    if (await this.log.record(entry)) return { entry, claimed: true };
    const existing = await this.log.get(notification.id);
    if (!existing) throw new Error(`Notification ${notification.id} was filed and is gone`);
    return { entry: existing, claimed: false };
  }

  async settle(
    id: string,
    outcome: { delivery: 'SENT'; messageId: string } | { delivery: 'FAILED'; failure: string },
    at: string,
  ): Promise<void> {
    await this.log.patch(id, { ...outcome, settledAt: at });
  }

  async claim(id: string, now: string, until: string): Promise<'claimed' | 'busy' | 'settled'> {
    const claimed = await this.log.patchIf(
      id,
      { sendingUntil: until },
      {
        expression: '#delivery = :pending AND (attribute_not_exists(#until) OR #until < :now)',
        names: { '#delivery': 'delivery', '#until': 'sendingUntil' },
        values: { ':pending': 'PENDING', ':now': now },
      },
    );
    if (claimed) return 'claimed';
    return (await this.log.get(id))?.delivery === 'PENDING' ? 'busy' : 'settled';
  }

  async release(id: string): Promise<void> {
    // The empty string sorts before every time, so the next delivery may claim it at once.
    await this.log.patch(id, { sendingUntil: '' });
  }

  list(page: { limit: number; cursor?: string }): Promise<Page<OutboxEntry>> {
    return this.log.list(page);
  }
}
