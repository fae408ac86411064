import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Backorder, BackorderBook } from '../../application/ports';
import { queryAll } from './query-pages';

/** One record per (SKU, waiting order), sorted by when the order was placed. */
const backorderKey = (sku: string, placedAt: string, orderId: string) => ({
  pk: `BACKORDER#${sku}`,
  sk: `${placedAt}#${orderId}`,
});

export class DynamoBackorderBook implements BackorderBook {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async write(requests: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let batch = requests.slice(i, i + 25);
      while (batch.length > 0) {
        const result = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }),
        );
        batch = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof batch;
      }
    }
  }

  async add(backorder: Backorder): Promise<void> {
    await this.write(
      backorder.skus.map((sku) => ({
        PutRequest: {
          Item: {
            ...backorderKey(sku, backorder.placedAt, backorder.orderId),
            entity: 'BACKORDER',
            sku,
            ...backorder,
          },
        },
      })),
    );
  }

  async waitingFor(sku: string): Promise<Backorder[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `BACKORDER#${sku}` },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      orderId: String(item.orderId),
      placedAt: String(item.placedAt),
      skus: item.skus as string[],
      taskToken: String(item.taskToken),
    }));
  }

  async remove(backorder: Pick<Backorder, 'orderId' | 'placedAt' | 'skus'>): Promise<void> {
    await this.write(
      backorder.skus.map((sku) => ({
        DeleteRequest: { Key: backorderKey(sku, backorder.placedAt, backorder.orderId) },
      })),
    );
  }
}
