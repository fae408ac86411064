import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';

const versionSk = (version: number) => `VERSION#${String(version).padStart(8, '0')}`;

/**
 * A policy ops keep as data (routing, returns): every version kept (decisions name the version
 * they used), CURRENT pointing at the newest, the product default until one is saved.
 */
export class DynamoPolicyStore<T extends { version: number }> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly policy: { pk: string; name: string; fallback: T },
  ) {}

  async current(): Promise<T> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: this.policy.pk, sk: 'CURRENT' },
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.policy as T) : this.policy.fallback;
  }

  async save(policy: Omit<T, 'version'>, expectedVersion: number): Promise<T> {
    const saved = { ...policy, version: expectedVersion + 1 } as T;
    const { pk } = this.policy;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: versionSk(saved.version), policy: saved },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: 'CURRENT', version: saved.version, policy: saved },
                ConditionExpression:
                  expectedVersion === this.policy.fallback.version
                    ? 'attribute_not_exists(pk) OR version = :expected'
                    : 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        throw new ConflictError(
          `${this.policy.name} version ${expectedVersion} is no longer the current one`,
          {
            expectedVersion,
          },
        );
      }
      throw error;
    }
    return saved;
  }
}
