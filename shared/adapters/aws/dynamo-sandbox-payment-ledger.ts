import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SandboxAuthorization, SandboxLedgerStore } from '../payments/sandbox-payment-gateway';
import { conditionFailed } from './dynamo-errors';

const key = (authorizationId: string) => ({ pk: `SANDBOX_PAYMENT#${authorizationId}`, sk: 'AUTHORIZATION' });

/**
 * The sandbox payment provider's authorizations, in the OMS table (a real provider keeps its
 * own ledger; the sandbox needs one that every function sees, on AWS and locally alike).
 */
export class DynamoSandboxPaymentLedger implements SandboxLedgerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(authorizationId: string): Promise<SandboxAuthorization | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(authorizationId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = Item;
    return record as SandboxAuthorization;
  }

  async put(record: SandboxAuthorization, expected: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(record.authorizationId), ...record },
          ConditionExpression: expected === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expected === 0 ? {} : { ExpressionAttributeValues: { ':expected': expected } }),
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
