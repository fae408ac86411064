import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderActivity, OrderActivityLog } from '../../application/ports';
import { groupBy } from '../../domain/group-by';
import { writeInBatches } from './batch-write';
import { orderKey } from './order-item';
import { queryAll } from './query-pages';

/**
 * Sort key of a group of one order's events recorded together: its first event's. Records made
 * one event an item (`EVENT#...`) before batches are read alike: both start with `EVENT`.
 */
const groupSk = (first: OrderActivity) =>
  `EVENTS#${String(first.sequence).padStart(8, '0')}#${first.eventId}`;
const bySequence = (a: OrderActivity, b: OrderActivity) => a.sequence - b.sequence;

/**
 * Order events stored beside the order (same partition), so one query reads an order's history.
 * A batch writes one item per order it holds events of. A batch received twice writes the same
 * items again; an event in two different batches is read once (by its id).
 */
export class DynamoOrderActivityLog implements OrderActivityLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entries: readonly OrderActivity[]): Promise<void> {
    await writeInBatches(
      this.db,
      this.tableName,
      [...groupBy(entries, (entry) => entry.orderId)].map(([orderId, events]) => {
        const sorted = [...events].sort(bySequence);
        return {
          PutRequest: {
            Item: {
              pk: orderKey(orderId).pk,
              sk: groupSk(sorted[0] as OrderActivity),
              entity: 'ORDER_EVENTS',
              events: sorted,
            },
          },
        };
      }),
    );
  }

  async list(orderId: string): Promise<OrderActivity[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': orderKey(orderId).pk, ':prefix': 'EVENT' },
    });
    const seen = new Map<string, OrderActivity>();
    for (const item of items) {
      const { pk: _pk, sk: _sk, entity: _entity, events, ...single } = item;
      for (const entry of (events as OrderActivity[] | undefined) ?? [single as unknown as OrderActivity])
        if (!seen.has(entry.eventId)) seen.set(entry.eventId, entry);
    }
    return [...seen.values()].sort(bySequence);
  }
}
