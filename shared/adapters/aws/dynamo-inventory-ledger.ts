import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type InventoryLedger,
  type Page,
  type ReservationResult,
  StaleStock,
} from '../../application/ports';
import { ConflictError } from '../../domain/errors';
import { type NetworkStock, type ReservationLine, type StockLevel, shortages } from '../../domain/inventory';
import { fromIdempotencyItem, idempotencyKey, OrderIndex, toIdempotencyItem } from './order-item';
import { queryPage } from './query-pages';
import {
  fromNetworkItem,
  fromStockItem,
  networkKey,
  reservationKey,
  STOCK_ENTITY,
  stockKey,
  toStockItem,
} from './stock-item';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const CONFLICT_RETRIES = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (attempt: number) => Math.random() * Math.min(200, 5 * 2 ** attempt);

function cancellation(error: unknown): CancellationReason[] | undefined {
  return error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;
}

/**
 * Stock in the single table. The network row of each SKU keeps `unreserved` (onHand - reserved) and
 * `available` (unreserved - safetyStock) next to the sums, because a DynamoDB condition can compare an
 * attribute with a value but not compute one: `available >= :q` is what makes overselling
 * impossible, whatever the concurrency.
 */
export class DynamoInventoryLedger implements InventoryLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async level(sku: string, locationId: string): Promise<StockLevel | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: stockKey(sku, locationId), ConsistentRead: true }),
    );
    return Item ? fromStockItem(Item) : undefined;
  }

  async levels(sku: string): Promise<StockLevel[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': networkKey(sku).pk, ':prefix': 'LOCATION#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(fromStockItem);
  }

  async network(skus: string[]): Promise<Map<string, NetworkStock>> {
    const result = new Map<string, NetworkStock>();
    const unique = [...new Set(skus)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Array<Record<string, unknown>> = unique.slice(i, i + 100).map(networkKey);
      while (keys.length > 0) {
        const response = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? [])
          result.set(String(item.sku), fromNetworkItem(item));
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return result;
  }

  async save(
    before: StockLevel | undefined,
    after: StockLevel,
    idempotency?: IdempotencyRecord,
  ): Promise<void> {
    const dOnHand = after.onHand - (before?.onHand ?? 0);
    const dSafety = after.safetyStock - (before?.safetyStock ?? 0);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: toStockItem(after),
          ...(before
            ? {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': before.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: networkKey(after.sku),
          UpdateExpression:
            'SET sku = :sku, entity = :entity ADD onHand :dOnHand, safetyStock :dSafety, unreserved :dOnHand, available :dAvailable, reserved :zero',
          // Taking units away must leave every network reservation covered.
          ...(dOnHand < 0 ? { ConditionExpression: 'unreserved >= :taken' } : {}),
          ExpressionAttributeValues: {
            ':sku': after.sku,
            ':entity': 'NETWORK_STOCK',
            ':dOnHand': dOnHand,
            ':dSafety': dSafety,
            ':dAvailable': dOnHand - dSafety,
            ':zero': 0,
            ...(dOnHand < 0 ? { ':taken': -dOnHand } : {}),
          },
        },
      },
    ];
    if (idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: toIdempotencyItem(idempotency),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellation(error);
      if (!reasons) throw error;
      if (reasons[2]?.Code === 'ConditionalCheckFailed' && idempotency) {
        const { Item } = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: idempotencyKey(idempotency.key),
            ConsistentRead: true,
          }),
        );
        if (Item) throw new IdempotencyKeyUsed(fromIdempotencyItem(Item));
      }
      if (reasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(
          `${after.sku}: taking ${-dOnHand} units away would leave orders' reservations without stock`,
          { sku: after.sku, locationId: after.locationId },
        );
      }
      throw new StaleStock(after.sku);
    }
  }

  async reserve(orderId: string, lines: ReservationLine[]): Promise<ReservationResult> {
    const items: TransactItem[] = lines.flatMap((line) => [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...reservationKey(orderId, line.sku),
            entity: 'RESERVATION',
            orderId,
            sku: line.sku,
            quantity: line.quantity,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: networkKey(line.sku),
          UpdateExpression: 'ADD reserved :q, unreserved :minus, available :minus',
          ConditionExpression: 'available >= :q',
          ExpressionAttributeValues: { ':q': line.quantity, ':minus': -line.quantity },
        },
      },
    ]);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { reserved: true };
      } catch (error) {
        const reasons = cancellation(error);
        if (!reasons) throw error;
        // A reservation record already there: this order reserved before (a retried task).
        if (reasons.some((r, i) => i % 2 === 0 && r.Code === 'ConditionalCheckFailed'))
          return { reserved: true };
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) {
          const missing = shortages(lines, await this.network(lines.map((l) => l.sku)));
          // Stock freed between the failed attempt and the read: try again.
          if (missing.length > 0) return { reserved: false, shortages: missing };
        }
        if (attempt >= CONFLICT_RETRIES) throw error;
        await sleep(jitter(attempt));
      }
    }
  }

  async list(
    filter: { locationId?: string; lowStock?: boolean },
    page: { limit: number; cursor?: string },
  ): Promise<Page<StockLevel>> {
    const conditions: string[] = [];
    const values: Record<string, unknown> = { ':entity': STOCK_ENTITY };
    if (filter.locationId !== undefined) {
      conditions.push('locationId = :locationId');
      values[':locationId'] = filter.locationId;
    }
    if (filter.lowStock) {
      conditions.push('low = :low');
      values[':low'] = true;
    }
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': OrderIndex.BY_CREATED.partitionKey },
        ExpressionAttributeValues: values,
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
      },
      OrderIndex.BY_CREATED.partitionKey,
      { ...page, filter },
      fromStockItem,
    );
  }

  async reservationsOf(orderId: string): Promise<ReservationLine[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': reservationKey(orderId, '').pk, ':prefix': 'RESERVATION#' },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({ sku: String(item.sku), quantity: Number(item.quantity) }));
  }

  async release(orderId: string): Promise<void> {
    const held = await this.reservationsOf(orderId);
    if (held.length === 0) return;
    const items: TransactItem[] = held.flatMap((line) => [
      {
        Delete: {
          TableName: this.tableName,
          Key: reservationKey(orderId, line.sku),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: networkKey(line.sku),
          UpdateExpression: 'ADD reserved :minus, unreserved :q, available :q',
          ExpressionAttributeValues: { ':q': line.quantity, ':minus': -line.quantity },
        },
      },
    ]);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const reasons = cancellation(error);
        if (!reasons) throw error;
        // Released meanwhile by another attempt: nothing left to do.
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return this.release(orderId);
        if (attempt >= CONFLICT_RETRIES) throw error;
        await sleep(jitter(attempt));
      }
    }
  }

  async snapshot() {
    const levels: StockLevel[] = [];
    const network: NetworkStock[] = [];
    const reservations: Array<ReservationLine & { orderId: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity IN (:stock, :network, :reservation)',
          ExpressionAttributeValues: {
            ':stock': 'STOCK',
            ':network': 'NETWORK_STOCK',
            ':reservation': 'RESERVATION',
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity === 'STOCK') levels.push(fromStockItem(item));
        else if (item.entity === 'NETWORK_STOCK') network.push(fromNetworkItem(item));
        else
          reservations.push({
            orderId: String(item.orderId),
            sku: String(item.sku),
            quantity: Number(item.quantity),
          });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { levels, network, reservations };
  }
}
