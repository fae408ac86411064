import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Alert, AlertLog, Page } from '../../application/ports';
import { DynamoEntityLog } from './dynamo-entity-log';

/** Alerts in the single table, newest first. */
export class DynamoAlertLog implements AlertLog {
  private readonly log: DynamoEntityLog<Alert>;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.log = new DynamoEntityLog<Alert>(db, tableName, 'ALERT', (alert) => alert.raisedAt);
  }

  async record(alert: Alert): Promise<void> {
    await this.log.record(alert);
  }

  list(page: { limit: number; cursor?: string }): Promise<Page<Alert>> {
    return this.log.list(page);
  }
}
