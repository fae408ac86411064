import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../application/ports';
import { decodeCursor, encodeCursor } from './order-cursor';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

/**
 * Append-only records of one kind (alerts, notifications) in the single table: written once per id
 * (a repeat is a no-op), listed newest first through the by-entity index.
 */
export class DynamoEntityLog<T extends { id: string }> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly entity: string,
    private readonly timeOf: (record: T) => string,
  ) {}

  /** False when a record with this id was already there. */
  async record(record: T): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `${this.entity}#${record.id}`,
            sk: this.entity,
            entity: this.entity,
            [OrderIndex.BY_CREATED.partitionKey]: this.entity,
            [LIST_SORT_KEY]: `${this.timeOf(record)}#${record.id}`,
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async list(page: { limit: number; cursor?: string }): Promise<Page<T>> {
    const filter = { entity: this.entity };
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': OrderIndex.BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':entity': this.entity },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, filter) } : {}),
      }),
    );
    const items = (result.Items ?? []).map(
      ({ pk: _pk, sk: _sk, entity: _e, entityPk: _ep, listSk: _ls, ...record }) => record as T,
    );
    return {
      items,
      ...(result.LastEvaluatedKey ? { nextCursor: encodeCursor(result.LastEvaluatedKey, filter) } : {}),
    };
  }
}
