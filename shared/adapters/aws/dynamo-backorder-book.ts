import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Backorder, BackorderBook } from '../../application/ports';

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
    const waiting: Backorder[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `BACKORDER#${sku}` },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        waiting.push({
          orderId: String(item.orderId),
          placedAt: String(item.placedAt),
          skus: item.skus as string[],
          taskToken: String(item.taskToken),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return waiting;
  }

  async remove(backorder: Pick<Backorder, 'orderId' | 'placedAt' | 'skus'>): Promise<void> {
    await this.write(
      backorder.skus.map((sku) => ({
        DeleteRequest: { Key: backorderKey(sku, backorder.placedAt, backorder.orderId) },
      })),
    );
  }
}
