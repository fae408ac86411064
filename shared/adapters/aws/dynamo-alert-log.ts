import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert, AlertLog, Page } from '../../application/ports';
import { decodeCursor, encodeCursor } from './order-cursor';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

const ALERT_ENTITY = 'ALERT';

/** Alerts in the single table, newest first through the by-entity index. */
export class DynamoAlertLog implements AlertLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(alert: Alert): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `ALERT#${alert.id}`,
            sk: ALERT_ENTITY,
            entity: ALERT_ENTITY,
            [OrderIndex.BY_CREATED.partitionKey]: ALERT_ENTITY,
            [LIST_SORT_KEY]: `${alert.raisedAt}#${alert.id}`,
            ...alert,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw error;
    }
  }

  async list(page: { limit: number; cursor?: string }): Promise<Page<Alert>> {
    const filter = { entity: ALERT_ENTITY };
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': OrderIndex.BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':entity': ALERT_ENTITY },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, filter) } : {}),
      }),
    );
    const items = (result.Items ?? []).map(
      ({ pk: _pk, sk: _sk, entity: _e, entityPk: _ep, listSk: _ls, ...alert }) => alert as Alert,
    );
    return {
      items,
      ...(result.LastEvaluatedKey ? { nextCursor: encodeCursor(result.LastEvaluatedKey, filter) } : {}),
    };
  }
}
