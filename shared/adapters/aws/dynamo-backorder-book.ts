import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Backorder, BackorderBook } from '../../application/ports';
import { writeInBatches } from './batch-write';
import { conditionFailed } from './dynamo-errors';
import { queryAll } from './query-pages';

/** One record per (SKU, waiting order or shipment), sorted by when the order was placed. */
const backorderKey = (sku: string, backorder: Pick<Backorder, 'placedAt' | 'orderId' | 'shipmentId'>) => ({
  pk: `BACKORDER#${sku}`,
  sk: `${backorder.placedAt}#${backorder.shipmentId ?? backorder.orderId}`,
});

/** One record per wait, holding its task token: whoever deletes it (conditionally) answers the wait. */
const waitKey = (backorder: Pick<Backorder, 'orderId' | 'shipmentId'>) => ({
  pk: `BACKORDER_WAIT#${backorder.shipmentId ?? backorder.orderId}`,
  sk: 'WAIT',
});

export class DynamoBackorderBook implements BackorderBook {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async write(requests: Array<Record<string, unknown>>): Promise<void> {
    await writeInBatches(this.db, this.tableName, requests);
  }

  async add(backorder: Backorder): Promise<void> {
    await this.write([
      {
        PutRequest: {
          Item: { ...waitKey(backorder), entity: 'BACKORDER_WAIT', taskToken: backorder.taskToken },
        },
      },
      ...backorder.skus.map((sku) => ({
        PutRequest: {
          Item: {
            ...backorderKey(sku, backorder),
            entity: 'BACKORDER',
            sku,
            ...backorder,
          },
        },
      })),
    ]);
  }

  async claim(backorder: Pick<Backorder, 'orderId' | 'shipmentId' | 'taskToken'>): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: waitKey(backorder),
          ConditionExpression: 'taskToken = :token',
          ExpressionAttributeValues: { ':token': backorder.taskToken },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
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
    await this.write([
      { DeleteRequest: { Key: waitKey(backorder) } },
      ...backorder.skus.map((sku) => ({ DeleteRequest: { Key: backorderKey(sku, backorder) } })),
    ]);
  }
}
