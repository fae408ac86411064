import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseWait, ReleaseWaits } from '../../application/ports';
import { orderKey } from './order-item';
import { queryAll } from './query-pages';

const PREFIX = 'RELEASE_WAIT#';
const key = (orderId: string, waitId: string) => ({ pk: orderKey(orderId).pk, sk: `${PREFIX}${waitId}` });

/** The workflow's waits for a held order's release, beside the order (one query finds them all). */
export class DynamoReleaseWaits implements ReleaseWaits {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(orderId: string, wait: ReleaseWait): Promise<void> {
    // A wait armed again at the same place (a retried step) replaces its token.
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(orderId, wait.waitId), entity: 'RELEASE_WAIT', orderId, ...wait },
      }),
    );
  }

  async of(orderId: string): Promise<ReleaseWait[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': orderKey(orderId).pk, ':prefix': PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => ({ waitId: String(item.waitId), taskToken: String(item.taskToken) }));
  }

  async remove(orderId: string, waitId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(orderId, waitId) }));
  }
}
