import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DuplicateExternalOrder,
  IdempotencyKeyInFlight,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type OrderFilter,
  type OrderRepository,
  type Page,
  StaleOrderVersion,
} from '../../application/ports';
import type { Order } from '../../domain/order';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import { conditionFailed } from './dynamo-errors';
import {
  channelPk,
  customerPk,
  ENTITY_PK,
  externalOrderKey,
  fromIdempotencyItem,
  fromOrderItem,
  idempotencyKey,
  LIST_SORT_KEY,
  OrderIndex,
  orderKey,
  placedBetween,
  statusPk,
  toIdempotencyItem,
  toOrderItem,
} from './order-item';
import { queryPage } from './query-pages';

const NOT_EXISTS = 'attribute_not_exists(pk)';
const CONFLICT_REREADS = 8;

function isNamed(
  error: unknown,
  name: string,
): error is Error & { CancellationReasons?: CancellationReason[] } {
  return error instanceof Error && error.name === name;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orders in the single DynamoDB table. */
export class DynamoOrderRepository implements OrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(order: Order, idempotency: IdempotencyRecord): Promise<void> {
    const items = [
      { Put: { TableName: this.tableName, Item: toOrderItem(order), ConditionExpression: NOT_EXISTS } },
      {
        Put: {
          TableName: this.tableName,
          Item: toIdempotencyItem(idempotency),
          ConditionExpression: NOT_EXISTS,
        },
      },
    ];
    if (order.externalOrderId !== undefined) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...externalOrderKey(order.channel, order.externalOrderId), orderId: order.id },
          ConditionExpression: NOT_EXISTS,
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isNamed(error, 'TransactionCanceledException')) throw error;
      throw await this.explainCancellation(order, idempotency.key, error.CancellationReasons ?? []);
    }
  }

  /** Turns a cancelled create into the domain's reason; a racing writer gets a moment to commit. */
  private async explainCancellation(
    order: Order,
    key: string,
    reasons: CancellationReason[],
  ): Promise<Error> {
    const raced = reasons.some((r) => r.Code === 'TransactionConflict');
    for (let attempt = 0; attempt <= (raced ? CONFLICT_REREADS : 0); attempt++) {
      if (attempt > 0) await sleep(10 * attempt);
      const record = await this.read(idempotencyKey(key));
      if (record) return new IdempotencyKeyUsed(fromIdempotencyItem(record));
      if (order.externalOrderId !== undefined) {
        const claim = await this.read(externalOrderKey(order.channel, order.externalOrderId));
        if (claim) return new DuplicateExternalOrder(String(claim.orderId));
      }
    }
    if (raced) return new IdempotencyKeyInFlight();
    return new Error(`Order ${order.id} could not be created: ${reasons.map((r) => r.Code).join(',')}`);
  }

  private async read(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async get(id: string): Promise<Order | undefined> {
    const item = await this.read(orderKey(id));
    return item ? fromOrderItem(item) : undefined;
  }

  async byExternalId(channel: string, externalOrderId: string): Promise<Order | undefined> {
    const claim = await this.read(externalOrderKey(channel, externalOrderId));
    return claim ? this.get(String(claim.orderId)) : undefined;
  }

  async update(order: Order): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toOrderItem(order),
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': order.version - 1 },
        }),
      );
    } catch (error) {
      if (conditionFailed(error)) throw new StaleOrderVersion(order.id);
      throw error;
    }
  }

  async list(filter: OrderFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>> {
    const { index, partition, residual } = chooseIndex(filter);
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Record<string, unknown> = { ':pk': partition };
    const conditions = Object.entries(residual).map(([field, value]) => {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      return `#${field} = :${field}`;
    });
    if (filter.sku !== undefined) {
      names['#skus'] = 'skus';
      values[':sku'] = filter.sku;
      conditions.push('contains(#skus, :sku)');
    }
    const range = placedBetween(filter.from, filter.to);
    if (range) {
      names['#sk'] = LIST_SORT_KEY;
      values[':lo'] = range.lo;
      values[':hi'] = range.hi;
    }
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk',
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      index.partitionKey,
      { ...page, filter },
      fromOrderItem,
    );
  }

  /** One COUNT query of the status index per status, over the days' range of its sort key. */
  async countByStatus(
    filter: Pick<OrderFilter, 'from' | 'to' | 'channel'>,
  ): Promise<Record<OrderStatus, number>> {
    const range = placedBetween(filter.from, filter.to);
    const counts = await Promise.all(
      ORDER_STATUSES.map(async (status) => {
        let count = 0;
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: OrderIndex.BY_STATUS.name,
              Select: 'COUNT',
              KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk',
              ...(filter.channel ? { FilterExpression: '#channel = :channel' } : {}),
              ExpressionAttributeNames: {
                '#pk': OrderIndex.BY_STATUS.partitionKey,
                ...(range ? { '#sk': LIST_SORT_KEY } : {}),
                ...(filter.channel ? { '#channel': 'channel' } : {}),
              },
              ExpressionAttributeValues: {
                ':pk': statusPk(status),
                ...(range ? { ':lo': range.lo, ':hi': range.hi } : {}),
                ...(filter.channel ? { ':channel': filter.channel } : {}),
              },
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          count += page.Count ?? 0;
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return [status, count] as const;
      }),
    );
    return Object.fromEntries(counts) as Record<OrderStatus, number>;
  }
}

/** The most selective index for the filters; the rest become a filter expression. */
function chooseIndex(filter: OrderFilter) {
  const residual: Record<string, string> = {};
  if (filter.customerEmail !== undefined) residual.customerEmailLc = filter.customerEmail.toLowerCase();
  if (filter.externalOrderId !== undefined) residual.externalOrderId = filter.externalOrderId;
  if (filter.customerId !== undefined) {
    if (filter.status !== undefined) residual.status = filter.status;
    if (filter.channel !== undefined) residual.channel = filter.channel;
    return { index: OrderIndex.BY_CUSTOMER, partition: customerPk(filter.customerId), residual };
  }
  if (filter.status !== undefined) {
    if (filter.channel !== undefined) residual.channel = filter.channel;
    return { index: OrderIndex.BY_STATUS, partition: statusPk(filter.status), residual };
  }
  if (filter.channel !== undefined) {
    return { index: OrderIndex.BY_CHANNEL, partition: channelPk(filter.channel), residual };
  }
  return { index: OrderIndex.BY_CREATED, partition: ENTITY_PK, residual };
}
