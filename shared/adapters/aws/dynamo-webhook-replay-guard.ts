import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookReplayGuard } from '../../application/ports';

/** One item per signature seen, expiring (TTL) when the signature would be stale anyway. */
export class DynamoWebhookReplayGuard implements WebhookReplayGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async firstSeen(carrier: string, signature: string, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `WEBHOOK#${carrier}#${signature}`, sk: 'WEBHOOK', expiresAt: expiresAtSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
