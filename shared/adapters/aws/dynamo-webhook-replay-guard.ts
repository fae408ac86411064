import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookReplayGuard } from '../../application/ports';

const key = (carrier: string, signature: string) => ({
  pk: `WEBHOOK#${carrier}#${signature}`,
  sk: 'WEBHOOK',
});

/** One item per applied signature, expiring (TTL) when the signature would be stale anyway. */
export class DynamoWebhookReplayGuard implements WebhookReplayGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async seen(carrier: string, signature: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(carrier, signature), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async remember(carrier: string, signature: string, expiresAtSeconds: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(carrier, signature), expiresAt: expiresAtSeconds },
      }),
    );
  }
}
