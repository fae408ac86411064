import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { KpiStore, OrderKpiIncrements } from '../../application/ports';
import type { KpiIncrement, KpiRow, OrderKpiMemory, SkuKpiRow } from '../../domain/kpis';
import { getInBatches } from './batch-get';
import { orderKey } from './order-item';
import { queryAll } from './query-pages';

/**
 * All counters sit in one partition, `KPI`, sorted by day: a period is two range reads (channel
 * rows, SKU rows) however many days it spans. Every order of a day and channel adds to the same
 * counters, and concurrent transactions on one item conflict: each day and channel is split over
 * SHARDS items (by order id), summed when read, and a conflicted transaction is tried again.
 */
const KPI_PK = 'KPI';
const SHARDS = 4;
const CONFLICT_RETRIES = 10;
/** DynamoDB's limit of items in one transaction. */
const TRANSACTION_ITEMS = 100;
const channelSk = (day: string, channel: string, shard: number) => `C#${day}#${channel}#${shard}`;
const skuSk = (day: string, channel: string, shard: number, sku: string) =>
  `S#${day}#${channel}#${shard}#${sku}`;
const shardOf = (orderId: string) =>
  [...orderId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % SHARDS;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What the projection remembers per order: beside the order, in its partition. */
const memoryKey = (orderId: string) => ({ pk: orderKey(orderId).pk, sk: 'KPI' });

/** An ADD of every counter, with attribute names as placeholders (counters carry '#'). */
function addAll(counters: Record<string, number>) {
  const entries = Object.entries(counters);
  return {
    UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
  };
}

/** Why a transaction was cancelled, per item (empty for any other error). */
function cancellationCodes(error: unknown): Array<string | undefined> {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  return ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map(
    (r) => r.Code,
  );
}

/** Rows of one day, channel (and SKU) summed over their shards. */
function sumShards<R extends { counters: Record<string, number> }>(rows: R[], key: (row: R) => string): R[] {
  const merged = new Map<string, R>();
  for (const row of rows) {
    const seen = merged.get(key(row));
    if (!seen) merged.set(key(row), { ...row, counters: { ...row.counters } });
    else
      for (const [name, n] of Object.entries(row.counters))
        seen.counters[name] = (seen.counters[name] ?? 0) + n;
  }
  return [...merged.values()];
}

/** Adds counters to the row with this sort key. */
function addRow(rows: Map<string, Record<string, number>>, sk: string, counters: Record<string, number>) {
  const row = rows.get(sk) ?? {};
  for (const [name, n] of Object.entries(counters)) row[name] = (row[name] ?? 0) + n;
  rows.set(sk, row);
}

/** The counter rows one order's increments add to (its shard's), by sort key, summed. */
function rowsOf({ orderId, increments }: OrderKpiIncrements): Map<string, Record<string, number>> {
  const shard = shardOf(orderId);
  const rows = new Map<string, Record<string, number>>();
  for (const { day, channel, counters, skuCounters } of increments) {
    if (!day || !channel) continue;
    if (Object.keys(counters).length > 0) addRow(rows, channelSk(day, channel, shard), counters);
    for (const [sku, own] of Object.entries(skuCounters)) addRow(rows, skuSk(day, channel, shard, sku), own);
  }
  return rows;
}

function fromMemoryItem(item: Record<string, unknown> | undefined): OrderKpiMemory & { counted: string[] } {
  const counted = (item?.counted as Set<string> | undefined) ?? new Set<string>();
  return {
    counted: [...counted],
    ...(typeof item?.promisedBy === 'string' ? { promisedBy: item.promisedBy } : {}),
  };
}

export class DynamoKpiStore implements KpiStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async memory(orderId: string): Promise<OrderKpiMemory & { counted: string[] }> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: memoryKey(orderId), ConsistentRead: true }),
    );
    return fromMemoryItem(Item);
  }

  async memories(orderIds: readonly string[]): Promise<Map<string, OrderKpiMemory & { counted: string[] }>> {
    const items = await getInBatches(this.db, this.tableName, orderIds.map(memoryKey));
    const byPk = new Map(items.map((item) => [String(item.pk), item]));
    return new Map(orderIds.map((id) => [id, fromMemoryItem(byPk.get(memoryKey(id).pk))]));
  }

  /**
   * One transaction: the order's memory takes the event's `once` (refused if it holds it: the
   * event was counted) and the counters take the event's increments, so they move together or not at all.
   */
  async apply(increment: KpiIncrement, at: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(this.transaction(increment, at));
        return true;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes[0] === 'ConditionalCheckFailed') return false;
        if (!codes.includes('TransactionConflict') || attempt >= CONFLICT_RETRIES) throw error;
        await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
  }

  /**
   * A batch's orders in as few transactions as DynamoDB's 100 items allow: per order one memory
   * update (conditioned on none of its events counted yet), and the counters of all its orders
   * summed per row, so a batch writes each row it touches once. An order whose condition fails is
   * taken out and the rest tried again.
   */
  async applyMany(orders: readonly OrderKpiIncrements[]): Promise<{ refused: string[] }> {
    const refused: string[] = [];
    let chunk: OrderKpiIncrements[] = [];
    // The chunk's items: one memory update per order, one update per distinct counter row.
    let rows = new Set<string>();
    const flush = async () => {
      refused.push(...(await this.applyChunk(chunk)));
      chunk = [];
      rows = new Set();
    };
    for (const order of orders) {
      const own = [...rowsOf(order).keys()];
      const more = own.filter((sk) => !rows.has(sk)).length;
      if (chunk.length > 0 && chunk.length + 1 + rows.size + more > TRANSACTION_ITEMS) await flush();
      chunk.push(order);
      for (const sk of own) rows.add(sk);
    }
    if (chunk.length > 0) await flush();
    return { refused };
  }

  private async applyChunk(chunk: readonly OrderKpiIncrements[]): Promise<string[]> {
    const refused: string[] = [];
    let left = [...chunk];
    for (let attempt = 0; left.length > 0; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: this.batchItems(left) }));
        return refused;
      } catch (error) {
        const codes = cancellationCodes(error);
        // The memory updates come first, one per order, in the chunk's order.
        const failed = left.filter((_, i) => codes[i] === 'ConditionalCheckFailed');
        if (failed.length > 0) {
          refused.push(...failed.map((o) => o.orderId));
          left = left.filter((o) => !failed.includes(o));
          continue;
        }
        if (!codes.includes('TransactionConflict') || attempt >= CONFLICT_RETRIES) throw error;
        await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
    return refused;
  }

  /** The transaction's items: each order's memory update, then every counter row the orders add to, once. */
  private batchItems(orders: readonly OrderKpiIncrements[]) {
    const rows = new Map<string, Record<string, number>>();
    for (const order of orders) for (const [sk, counters] of rowsOf(order)) addRow(rows, sk, counters);
    const memories = orders.map(({ orderId, increments, at }) => {
      const promisedBy = increments.findLast((i) => i.remember?.promisedBy)?.remember?.promisedBy;
      const onces = increments.map((i) => i.once);
      return {
        Update: {
          TableName: this.tableName,
          Key: memoryKey(orderId),
          UpdateExpression: `ADD counted :onces SET entity = :entity, updatedAt = :at${promisedBy ? ', promisedBy = :promise' : ''}`,
          ConditionExpression: `attribute_not_exists(counted) OR (${onces.map((_, i) => `NOT contains(counted, :o${i})`).join(' AND ')})`,
          ExpressionAttributeValues: {
            ':onces': new Set(onces),
            ...Object.fromEntries(onces.map((once, i) => [`:o${i}`, once])),
            ':entity': 'ORDER_KPI',
            ':at': at,
            ...(promisedBy ? { ':promise': promisedBy } : {}),
          },
        },
      };
    });
    return [
      ...memories,
      ...[...rows].map(([sk, counters]) => ({
        Update: { TableName: this.tableName, Key: { pk: KPI_PK, sk }, ...addAll(counters) },
      })),
    ];
  }

  private transaction(increment: KpiIncrement, at: string): TransactWriteCommand {
    const { day, channel } = increment;
    const shard = shardOf(increment.orderId);
    const counters = Object.keys(increment.counters).length > 0;
    const skus = day && channel ? Object.entries(increment.skuCounters) : [];
    const remember = increment.remember?.promisedBy;
    return new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: this.tableName,
            Key: memoryKey(increment.orderId),
            UpdateExpression: `ADD counted :once SET entity = :entity, updatedAt = :at${remember ? ', promisedBy = :promise' : ''}`,
            ConditionExpression: 'attribute_not_exists(counted) OR NOT contains(counted, :one)',
            ExpressionAttributeValues: {
              ':once': new Set([increment.once]),
              ':one': increment.once,
              ':entity': 'ORDER_KPI',
              ':at': at,
              ...(remember ? { ':promise': remember } : {}),
            },
          },
        },
        ...(counters && day && channel
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key: { pk: KPI_PK, sk: channelSk(day, channel, shard) },
                  ...addAll(increment.counters),
                },
              },
            ]
          : []),
        ...skus.map(([sku, own]) => ({
          Update: {
            TableName: this.tableName,
            Key: { pk: KPI_PK, sk: skuSk(day ?? '', channel ?? '', shard, sku) },
            ...addAll(own),
          },
        })),
      ],
    });
  }

  async rows(range: { from: string; to: string; channel?: string }) {
    const read = async (prefix: 'C' | 'S') =>
      queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': KPI_PK,
          ':from': `${prefix}#${range.from}`,
          // '~' sorts after every character a channel or SKU may hold: the whole last day.
          ':to': `${prefix}#${range.to}#~`,
        },
      });
    const split = (item: Record<string, unknown>) => {
      const { pk: _pk, sk, ...counters } = item;
      const [, day = '', channel = '', _shard, ...sku] = String(sk).split('#');
      return { day, channel, sku: sku.join('#'), counters: counters as Record<string, number> };
    };
    const wanted = (row: { channel: string }) => !range.channel || row.channel === range.channel;
    const [channels, skus] = await Promise.all([read('C'), read('S')]);
    return {
      rows: sumShards(
        channels
          .map(split)
          .filter(wanted)
          .map(({ sku: _sku, ...row }): KpiRow => row),
        (r) => `${r.day}#${r.channel}`,
      ),
      skuRows: sumShards(
        skus.map(split).filter(wanted) as SkuKpiRow[],
        (r) => `${r.day}#${r.channel}#${r.sku}`,
      ),
    };
  }
}
