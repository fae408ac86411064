import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationSender, Page } from '../../application/ports';
import type { Notification } from '../../domain/notifications';
import { DynamoEntityLog } from './dynamo-entity-log';

/**
 * Notifications written to an outbox in the table, once per id. Locally the outbox is what
 * GET /notifications shows; an email/SMS gateway (SES, SNS) delivers from it on AWS.
 */
export class DynamoNotificationOutbox implements NotificationSender {
  private readonly log: DynamoEntityLog<Notification>;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.log = new DynamoEntityLog<Notification>(db, tableName, 'NOTIFICATION', (n) => n.createdAt);
  }

  send(notification: Notification): Promise<boolean> {
    return this.log.record(notification);
  }

  list(page: { limit: number; cursor?: string }): Promise<Page<Notification>> {
    return this.log.list(page);
  }
}
