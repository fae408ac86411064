import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderActivity, OrderActivityLog } from '../../application/ports';
import { conditionFailed } from './dynamo-errors';
import { orderKey } from './order-item';
import { queryAll } from './query-pages';

const activitySk = (entry: OrderActivity) =>
  `EVENT#${String(entry.sequence).padStart(8, '0')}#${entry.eventId}`;

/** Order events stored beside the order (same partition), so one query reads an order's history. */
export class DynamoOrderActivityLog implements OrderActivityLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: OrderActivity): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: orderKey(entry.orderId).pk, sk: activitySk(entry), entity: 'ORDER_EVENT', ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Already recorded: EventBridge delivers at least once.
      if (conditionFailed(error)) return;
      throw error;
    }
  }

  async list(orderId: string): Promise<OrderActivity[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': orderKey(orderId).pk, ':prefix': 'EVENT#' },
    });
    return items.map(({ pk: _pk, sk: _sk, entity: _entity, ...entry }) => entry as unknown as OrderActivity);
  }
}
