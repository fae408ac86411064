import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../application/ports';
import { conditionFailed } from './dynamo-errors';
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
            ...this.key(record.id),
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
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<T | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(id), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  /** Sets fields of a record that exists (a record is never created here). */
  async patch(id: string, fields: Partial<Omit<T, 'id'>>): Promise<void> {
    if (!(await this.patchIf(id, fields))) throw new Error(`No ${this.entity} ${id} to update`);
  }

  /**
   * Sets the fields when the record exists and `condition` holds (its names as `#name`, its
   * values as `:value`); false when it does not.
   */
  async patchIf(
    id: string,
    fields: Partial<Omit<T, 'id'>>,
    condition?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(id),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: `attribute_exists(pk)${condition ? ` AND (${condition.expression})` : ''}`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
            ...condition?.names,
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
            ...condition?.values,
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  private key(id: string) {
    return { pk: `${this.entity}#${id}`, sk: this.entity };
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
    const items = (result.Items ?? []).map((item) => strip<T>(item));
    return {
      items,
      ...(result.LastEvaluatedKey ? { nextCursor: encodeCursor(result.LastEvaluatedKey, filter) } : {}),
    };
  }
}

/** The record without the table's keys and index attributes. */
function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _e, entityPk: _ep, listSk: _ls, ...record } = item;
  return record as T;
}
