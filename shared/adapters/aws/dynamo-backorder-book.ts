import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Backorder, BackorderBook } from '../../application/ports';
import { queryAll } from './query-pages';

/** One record per (SKU, waiting order or shipment), sorted by when the order was placed. */
const backorderKey = (sku: string, backorder: Pick<Backorder, 'placedAt' | 'orderId' | 'shipmentId'>) => ({
  pk: `BACKORDER#${sku}`,
  sk: `${backorder.placedAt}#${backorder.shipmentId ?? backorder.orderId}`,
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
            ...backorderKey(sku, backorder),
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
      ...(item.shipmentId ? { shipmentId: String(item.shipmentId) } : {}),
    }));
  }

  async remove(backorder: Pick<Backorder, 'orderId' | 'placedAt' | 'skus' | 'shipmentId'>): Promise<void> {
    await this.write(
      backorder.skus.map((sku) => ({
        DeleteRequest: { Key: backorderKey(sku, backorder) },
      })),
    );
  }
}
