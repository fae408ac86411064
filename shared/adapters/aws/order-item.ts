import { encodeTime, TIME_MAX } from 'ulid';
import type { IdempotencyRecord } from '../../application/ports';
import type { Order } from '../../domain/order';

/** Key layout of the single table; the CDK table construct declares the same index names. */
export const OrderIndex = {
  BY_STATUS: { name: 'byStatus', partitionKey: 'statusPk' },
  BY_CHANNEL: { name: 'byChannel', partitionKey: 'channelPk' },
  BY_CUSTOMER: { name: 'byCustomer', partitionKey: 'customerPk' },
  BY_CREATED: { name: 'byCreated', partitionKey: 'entityPk' },
} as const;
/** Sort key shared by every listing index: the ULID order id, so newest first is descending. */
export const LIST_SORT_KEY = 'listSk';

/**
 * An item of one entity kind, listed through the by-entity index: its key, the entity and its
 * place in the listing (`listSk`), then the record's own attributes.
 */
export function listedItem(
  key: { pk: string; sk: string },
  listing: { entity: string; partition?: string; sortKey: string },
  record: object,
): Record<string, unknown> {
  return {
    ...key,
    entity: listing.entity,
    [OrderIndex.BY_CREATED.partitionKey]: listing.partition ?? listing.entity,
    [LIST_SORT_KEY]: listing.sortKey,
    ...record,
  };
}

/** The record an item of `listedItem` holds, without the table's key and listing attributes. */
export function recordOf<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    [OrderIndex.BY_CREATED.partitionKey]: _listing,
    [LIST_SORT_KEY]: _place,
    ...record
  } = item;
  return record as T;
}

const ORDER_ENTITY = 'ORDER';

export const orderKey = (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });
export const idempotencyKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });
export const externalOrderKey = (channel: string, externalOrderId: string) => ({
  pk: `EXTERNAL_ORDER#${channel}#${externalOrderId}`,
  sk: 'EXTERNAL_ORDER',
});

export const statusPk = (status: string) => `ORDER_STATUS#${status}`;
export const channelPk = (channel: string) => `ORDER_CHANNEL#${channel}`;
export const customerPk = (customerId: string) => `ORDER_CUSTOMER#${customerId}`;
export const ENTITY_PK = ORDER_ENTITY;

const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'entity',
  'statusPk',
  'channelPk',
  'customerPk',
  'entityPk',
  'listSk',
  'skus',
  'customerEmailLc',
] as const;

export function toOrderItem(order: Order): Record<string, unknown> {
  return {
    ...orderKey(order.id),
    entity: ORDER_ENTITY,
    statusPk: statusPk(order.status),
    channelPk: channelPk(order.channel),
    ...(order.customer.id === undefined ? {} : { customerPk: customerPk(order.customer.id) }),
    entityPk: ENTITY_PK,
    listSk: order.id,
    // For the listing's filters: a line's SKU, and the email matched whatever its case.
    skus: [...new Set(order.lines.map((line) => line.sku))],
    customerEmailLc: order.customer.email.toLowerCase(),
    ...order,
  };
}

export function fromOrderItem(item: Record<string, unknown>): Order {
  const copy: Record<string, unknown> = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as unknown as Order;
}

export function toIdempotencyItem(record: IdempotencyRecord): Record<string, unknown> {
  return {
    ...idempotencyKey(record.key),
    entity: 'IDEMPOTENCY',
    ...record,
    // DynamoDB TTL only tidies up; correctness never depends on the item being gone.
    ...(record.retainSeconds === undefined
      ? {}
      : { expiresAt: Math.floor(Date.parse(record.createdAt) / 1000) + record.retainSeconds }),
  };
}

export function fromIdempotencyItem(item: Record<string, unknown>): IdempotencyRecord {
  return {
    key: String(item.key),
    requestHash: String(item.requestHash),
    result: item.result,
    createdAt: String(item.createdAt),
  };
}

/**
 * The listing indexes' sort key range of the orders placed between two days (UTC): order ids are
 * ULIDs, whose first ten characters are their creation time.
 */
export function placedBetween(
  from: string | undefined,
  to: string | undefined,
): { lo: string; hi: string } | undefined {
  if (!from && !to) return undefined;
  const start = from ? Date.parse(`${from}T00:00:00.000Z`) : 0;
  const end = to ? Date.parse(`${to}T23:59:59.999Z`) : TIME_MAX;
  return { lo: `${encodeTime(start)}${'0'.repeat(16)}`, hi: `${encodeTime(end)}${'Z'.repeat(16)}` };
}
