import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingPolicyStore } from '../../application/ports';
import { ConflictError } from '../../domain/errors';
import { DEFAULT_ROUTING_POLICY, type RoutingPolicy } from '../../domain/routing';

const PK = 'ROUTING_POLICY';
const versionSk = (version: number) => `VERSION#${String(version).padStart(8, '0')}`;

/** Every version kept (decisions name the version they used); CURRENT points at the newest. */
export class DynamoRoutingPolicyStore implements RoutingPolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(): Promise<RoutingPolicy> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: 'CURRENT' }, ConsistentRead: true }),
    );
    return Item ? (Item.policy as RoutingPolicy) : DEFAULT_ROUTING_POLICY;
  }

  async save(policy: Omit<RoutingPolicy, 'version'>, expectedVersion: number): Promise<RoutingPolicy> {
    const saved: RoutingPolicy = { ...policy, version: expectedVersion + 1 };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: PK, sk: versionSk(saved.version), policy: saved },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: PK, sk: 'CURRENT', version: saved.version, policy: saved },
                ConditionExpression:
                  expectedVersion === DEFAULT_ROUTING_POLICY.version
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
        throw new ConflictError(`Routing policy version ${expectedVersion} is no longer the current one`, {
          expectedVersion,
        });
      }
      throw error;
    }
    return saved;
  }
}
