import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingDecisionStore, StoredRoutingDecision } from '../../application/ports';

const key = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ROUTING' });

/** The latest routing decision of each order, in the order's partition. */
export class DynamoRoutingDecisionStore implements RoutingDecisionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(decision: StoredRoutingDecision): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(decision.orderId), entity: 'ROUTING_DECISION', decision },
      }),
    );
  }

  async get(orderId: string): Promise<StoredRoutingDecision | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(orderId), ConsistentRead: true }),
    );
    return Item ? (Item.decision as StoredRoutingDecision) : undefined;
  }
}
