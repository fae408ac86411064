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
import { listedItem, OrderIndex, recordOf } from './order-item';
import { queryPage } from './query-pages';

const ENTITY = 'SUBSCRIPTION';
const INDEX_PK = OrderIndex.BY_CREATED.partitionKey;
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
    const conditions: string[] = [];
    const names: Record<string, string> = { '#entity': INDEX_PK };
    const values: Record<string, unknown> = { ':entity': ENTITY };
    if (filter.status !== undefined) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.channel !== undefined || filter.customerId !== undefined) names['#order'] = 'order';
    if (filter.channel !== undefined) {
      conditions.push('#order.#channel = :channel');
      names['#channel'] = 'channel';
      values[':channel'] = filter.channel;
    }
    if (filter.customerId !== undefined) {
      conditions.push('#order.#customer.#id = :customerId');
      Object.assign(names, { '#customer': 'customer', '#id': 'id' });
      values[':customerId'] = filter.customerId;
    }
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#entity = :entity',
        ScanIndexForward: false,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
      },
      INDEX_PK,
      {
        limit: page.limit,
        ...(page.cursor ? { cursor: page.cursor } : {}),
        filter: { entity: ENTITY, ...filter },
      },
      (i) => recordOf<Subscription>(i),
    );
  }
}
