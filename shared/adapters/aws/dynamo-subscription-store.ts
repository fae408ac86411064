import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Page,
  StaleSubscription,
  type SubscriptionFilter,
  type SubscriptionStore,
} from '../../application/ports';
import { dueAt, type Subscription } from '../../domain/subscriptions';
import { conditionFailed, transactionConditionFailed } from './dynamo-errors';
import { listedItem, recordOf } from './order-item';
import { newestListed } from './query-pages';

const ENTITY = 'SUBSCRIPTION';
const subscriptionKey = (id: string) => ({ pk: `SUBSCRIPTION#${id}`, sk: 'SUBSCRIPTION' });
/**
 * The sweep's index: one entry per active subscription, keyed by when it is next due, so a
 * sweep reads only what is due. One partition: a store's subscriptions change far below its
 * 1,000 writes a second.
 */
const DUE_PK = 'SUBSCRIPTION_DUE';
const dueKey = (s: Subscription) => {
  const at = dueAt(s);
  return at === undefined ? undefined : { pk: DUE_PK, sk: `${at}#${s.id}` };
};

const item = (s: Subscription) =>
  listedItem(subscriptionKey(s.id), { entity: ENTITY, sortKey: `${s.createdAt}#${s.id}` }, s);

export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(subscription: Subscription): Promise<boolean> {
    const due = dueKey(subscription);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: item(subscription),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(due ? [{ Put: { TableName: this.tableName, Item: { ...due, id: subscription.id } } }] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (transactionConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<Subscription | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: subscriptionKey(id), ConsistentRead: true }),
    );
    return Item ? recordOf<Subscription>(Item) : undefined;
  }

  async save(subscription: Subscription, previous: Subscription): Promise<void> {
    const before = dueKey(previous);
    const after = dueKey(subscription);
    const moved = before?.sk !== after?.sk;
    const put = {
      Put: {
        TableName: this.tableName,
        Item: item(subscription),
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': previous.version },
      },
    };
    try {
      if (!moved) {
        await this.db.send(new PutCommand(put.Put));
        return;
      }
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            put,
            ...(before ? [{ Delete: { TableName: this.tableName, Key: before } }] : []),
            ...(after
              ? [{ Put: { TableName: this.tableName, Item: { ...after, id: subscription.id } } }]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (conditionFailed(error) || transactionConditionFailed(error))
        throw new StaleSubscription(subscription.id);
      throw error;
    }
  }

  async due(now: string, limit: number): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk <= :now',
        // Every entry due at `now` sorts before `now` followed by '#'.
        ExpressionAttributeValues: { ':pk': DUE_PK, ':now': `${now}#\uffff` },
        Limit: limit,
      }),
    );
    return Items.map((i) => String(i.id));
  }

  list(filter: SubscriptionFilter, page: { limit: number; cursor?: string }): Promise<Page<Subscription>> {
    return newestListed(
      this.db,
      this.tableName,
      ENTITY,
      { status: filter.status, 'order.channel': filter.channel, 'order.customer.id': filter.customerId },
      page,
      (i) => recordOf<Subscription>(i),
    );
  }
}
