import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page, WebhookStore } from '../../application/ports';
import type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookSubscription,
  WebhookSubscriptionStatus,
} from '../../domain/webhook-types';
import { deliveryOrderKey } from '../../domain/webhooks';
import { conditionFailed } from './dynamo-errors';
import { listedItem, OrderIndex, recordOf } from './order-item';
import { newestListed, queryAll } from './query-pages';

const SUBSCRIPTION_ENTITY = 'WEBHOOK_SUBSCRIPTION';
const INDEX_PK = OrderIndex.BY_CREATED.partitionKey;
const subscriptionKey = (id: string) => ({ pk: `WEBHOOK#${id}`, sk: 'SUBSCRIPTION' });
/** A stream is a partition of its own: its lease and its deliveries, read in order by one query. */
const streamPk = (subscriptionId: string, stream: string) => `WEBHOOK#${subscriptionId}#${stream}`;
const leaseKey = (subscriptionId: string, stream: string) => ({
  pk: streamPk(subscriptionId, stream),
  sk: 'STREAM',
});
const deliveriesOf = (subscriptionId: string) => `WEBHOOK_DELIVERY#${subscriptionId}`;

/** A delivery's id is its place: the stream and its order key, so it is found without an index. */
const deliveryId = (stream: string, orderKey: string) =>
  Buffer.from(`${stream}\n${orderKey}`).toString('base64url');
function deliveryKey(subscriptionId: string, id: string) {
  const [stream, orderKey] = Buffer.from(id, 'base64url').toString().split('\n');
  return stream && orderKey ? { pk: streamPk(subscriptionId, stream), sk: `D#${orderKey}` } : undefined;
}

const toSubscription = (item: Record<string, unknown>) => recordOf<WebhookSubscription>(item);
const toDelivery = (item: Record<string, unknown>) => recordOf<WebhookDelivery>(item);

/**
 * Subscriptions listed through the by-entity index; each stream's deliveries in one partition,
 * sorted by when their event happened; a subscription's delivery log through the same index.
 */
export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createSubscription(subscription: WebhookSubscription): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: listedItem(
          subscriptionKey(subscription.id),
          { entity: SUBSCRIPTION_ENTITY, sortKey: `${subscription.createdAt}#${subscription.id}` },
          subscription,
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getSubscription(id: string): Promise<WebhookSubscription | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: subscriptionKey(id), ConsistentRead: true }),
    );
    return Item ? toSubscription(Item) : undefined;
  }

  async listSubscriptions(): Promise<WebhookSubscription[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: OrderIndex.BY_CREATED.name,
      KeyConditionExpression: '#entity = :entity',
      ExpressionAttributeNames: { '#entity': INDEX_PK },
      ExpressionAttributeValues: { ':entity': SUBSCRIPTION_ENTITY },
    });
    return items.map(toSubscription);
  }

  async setStatus(
    id: string,
    change: { status: WebhookSubscriptionStatus; reason?: string; at: string },
  ): Promise<WebhookSubscription | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKey(id),
          UpdateExpression: `SET #status = :status, updatedAt = :at${
            change.reason ? ', disabledReason = :reason' : ' REMOVE disabledReason'
          }`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': change.status,
            ':at': change.at,
            ...(change.reason ? { ':reason': change.reason } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toSubscription(Attributes) : undefined;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: subscriptionKey(id), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async enqueue(delivery: Omit<WebhookDelivery, 'id'>): Promise<boolean> {
    const orderKey = deliveryOrderKey(delivery);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: listedItem(
            { pk: streamPk(delivery.subscriptionId, delivery.stream), sk: `D#${orderKey}` },
            {
              entity: 'WEBHOOK_DELIVERY',
              partition: deliveriesOf(delivery.subscriptionId),
              sortKey: `${delivery.createdAt}#${orderKey}`,
            },
            { id: deliveryId(delivery.stream, orderKey), ...delivery },
          ),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async undelivered(subscriptionId: string, stream: string): Promise<WebhookDelivery[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status <> :delivered',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': streamPk(subscriptionId, stream),
        ':prefix': 'D#',
        ':delivered': 'DELIVERED',
      },
      ConsistentRead: true,
    });
    return items.map(toDelivery);
  }

  async getDelivery(subscriptionId: string, id: string): Promise<WebhookDelivery | undefined> {
    const key = deliveryKey(subscriptionId, id);
    if (!key) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? toDelivery(Item) : undefined;
  }

  async saveDelivery(delivery: WebhookDelivery): Promise<void> {
    const key = deliveryKey(delivery.subscriptionId, delivery.id);
    if (!key) throw new Error(`Malformed delivery id ${delivery.id}`);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET #status = :status, attempts = :attempts${
          delivery.deliveredAt ? ', deliveredAt = :deliveredAt' : ''
        }`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': delivery.status,
          ':attempts': delivery.attempts,
          ...(delivery.deliveredAt ? { ':deliveredAt': delivery.deliveredAt } : {}),
        },
      }),
    );
  }

  listDeliveries(
    subscriptionId: string,
    page: { limit: number; cursor?: string; status?: WebhookDeliveryStatus },
  ): Promise<Page<WebhookDelivery>> {
    const { status, ...rest } = page;
    return newestListed(this.db, this.tableName, deliveriesOf(subscriptionId), { status }, rest, toDelivery);
  }

  async streamsWithUndelivered(subscriptionId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: OrderIndex.BY_CREATED.name,
      KeyConditionExpression: '#entity = :entity',
      FilterExpression: '#status <> :delivered',
      ProjectionExpression: '#stream',
      ExpressionAttributeNames: { '#entity': INDEX_PK, '#status': 'status', '#stream': 'stream' },
      ExpressionAttributeValues: { ':entity': deliveriesOf(subscriptionId), ':delivered': 'DELIVERED' },
    });
    return [...new Set(items.map((item) => String(item.stream)))];
  }

  async takeStream(
    subscriptionId: string,
    stream: string,
    take: { now: string; leaseUntil: string; asRetry: boolean },
  ): Promise<boolean> {
    const free = '(attribute_not_exists(leaseUntil) OR leaseUntil < :now)';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leaseKey(subscriptionId, stream),
          UpdateExpression: 'SET leaseUntil = :lease',
          ConditionExpression: take.asRetry
            ? free
            : `${free} AND (attribute_not_exists(retrying) OR retrying = :false)`,
          ExpressionAttributeValues: {
            ':lease': take.leaseUntil,
            ':now': take.now,
            ...(take.asRetry ? {} : { ':false': false }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async releaseStream(subscriptionId: string, stream: string, retrying: boolean): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: leaseKey(subscriptionId, stream),
        UpdateExpression: 'SET retrying = :retrying REMOVE leaseUntil',
        ExpressionAttributeValues: { ':retrying': retrying },
      }),
    );
  }
}
