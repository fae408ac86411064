import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  IdempotencyKeyInFlight,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type Page,
  type ReturnFilter,
  type ReturnRepository,
  type ReturnWait,
  StaleReturn,
} from '../../application/ports';
import type { OrderReturn, SkuReturnStats } from '../../domain/returns';
import { conditionFailed } from './dynamo-errors';
import {
  fromIdempotencyItem,
  idempotencyKey,
  LIST_SORT_KEY,
  OrderIndex,
  orderKey,
  toIdempotencyItem,
} from './order-item';
import { queryAll, queryPage } from './query-pages';
import { countUnits, fromStatsItem, SKU_RETURNS_ENTITY } from './sku-return-stats';
import { putWaitToken, readWaitToken } from './wait-tokens';

const ENTITY = 'RETURN';
const PREFIX = 'RETURN#';
/** `<orderId>-R<n>`: a return lives in its order's partition. */
const orderIdOf = (returnId: string) => returnId.slice(0, returnId.lastIndexOf('-R'));
const returnKey = (id: string) => ({ pk: orderKey(orderIdOf(id)).pk, sk: `${PREFIX}${id}` });
const statusPk = (status: string) => `RETURN_STATUS#${status}`;
const trackingKey = (carrier: string, trackingNumber: string) => ({
  pk: `TRACKING#${carrier}#${trackingNumber}`,
  sk: 'TRACKING',
});
const waitAttribute = (wait: ReturnWait) => `${wait}TaskToken`;
const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'entity',
  'statusPk',
  'entityPk',
  LIST_SORT_KEY,
  'decisionTaskToken',
  'receiptTaskToken',
];

/** Listed newest first through the same sparse indexes orders use, under their own partitions. */
function toItem(rma: OrderReturn): Record<string, unknown> {
  return {
    ...returnKey(rma.id),
    entity: ENTITY,
    [OrderIndex.BY_STATUS.partitionKey]: statusPk(rma.status),
    [OrderIndex.BY_CREATED.partitionKey]: ENTITY,
    [LIST_SORT_KEY]: `${rma.createdAt}#${rma.id}`,
    ...rma,
  };
}

function fromItem(item: Record<string, unknown>): OrderReturn {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as unknown as OrderReturn;
}

/** Returns (RMAs) beside their order; a tracking-number item points carriers' updates at them. */
export class DynamoReturnRepository implements ReturnRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(rma: OrderReturn, idempotency: IdempotencyRecord): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(rma),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: toIdempotencyItem(idempotency),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...countUnits(this.tableName, rma.lines, { returned: rma.reason }),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: idempotencyKey(idempotency.key),
          ConsistentRead: true,
        }),
      );
      if (Item) throw new IdempotencyKeyUsed(fromIdempotencyItem(Item));
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw new IdempotencyKeyInFlight();
    }
  }

  async get(id: string): Promise<OrderReturn | undefined> {
    if (!id.includes('-R')) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: returnKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async ofOrder(orderId: string): Promise<OrderReturn[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': orderKey(orderId).pk, ':prefix': PREFIX },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  async update(rma: OrderReturn): Promise<void> {
    // Named attributes, not a replaced item: the wait tokens beside the record are kept.
    const item = toItem(rma);
    const fields = Object.entries(item).filter(([name]) => name !== 'pk' && name !== 'sk');
    const write = {
      TableName: this.tableName,
      Key: returnKey(rma.id),
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: '#version = :previous',
      ExpressionAttributeNames: {
        ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
        '#version': 'version',
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
        ':previous': rma.version - 1,
      },
    };
    try {
      if (rma.label) {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: write },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...trackingKey(rma.label.carrier, rma.label.trackingNumber), returnId: rma.id },
                },
              },
            ],
          }),
        );
      } else {
        await this.db.send(new UpdateCommand(write));
      }
    } catch (error) {
      if (conditionFailed(error) || (error instanceof Error && error.name === 'TransactionCanceledException'))
        throw new StaleReturn(rma.id);
      throw error;
    }
  }

  list(filter: ReturnFilter, page: { limit: number; cursor?: string }): Promise<Page<OrderReturn>> {
    const index = filter.status === undefined ? OrderIndex.BY_CREATED : OrderIndex.BY_STATUS;
    const partition = filter.status === undefined ? ENTITY : statusPk(filter.status);
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...(filter.orderId === undefined ? {} : { FilterExpression: '#orderId = :orderId' }),
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          ...(filter.orderId === undefined ? {} : { '#orderId': 'orderId' }),
        },
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(filter.orderId === undefined ? {} : { ':orderId': filter.orderId }),
        },
        ScanIndexForward: false,
      },
      index.partitionKey,
      { ...page, filter },
      fromItem,
    );
  }

  stats(page: { limit: number; cursor?: string }): Promise<Page<SkuReturnStats>> {
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': OrderIndex.BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':pk': SKU_RETURNS_ENTITY },
      },
      OrderIndex.BY_CREATED.partitionKey,
      { ...page, filter: {} },
      fromStatsItem,
    );
  }

  async byTrackingNumber(carrier: string, trackingNumber: string): Promise<OrderReturn | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: trackingKey(carrier, trackingNumber),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.returnId === 'string' ? this.get(Item.returnId) : undefined;
  }

  setWaitToken(id: string, wait: ReturnWait, taskToken: string): Promise<void> {
    return putWaitToken(this.db, this.tableName, returnKey(id), waitAttribute(wait), taskToken);
  }

  waitToken(id: string, wait: ReturnWait): Promise<string | undefined> {
    return readWaitToken(this.db, this.tableName, returnKey(id), waitAttribute(wait));
  }
}
