import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../application/ports';
import { decodeCursor, encodeCursor } from './order-cursor';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

type Item = Record<string, unknown>;

/** Every item a query matches, following LastEvaluatedKey. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * One page of a listing-index query with a filter expression: DynamoDB applies Limit before the
 * filter, so it reads on until the page is full; the cursor is the last item returned (bound to
 * the filter), which may sit before the query's own last key.
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput & { IndexName: string },
  indexPartitionKey: string,
  page: { limit: number; cursor?: string; filter: object },
  map: (item: Item) => T,
): Promise<Page<T>> {
  const filtered = input.FilterExpression !== undefined;
  let startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, page.filter);
  const items: T[] = [];
  let lastKey: Item | undefined;
  do {
    const result = await db.send(
      new QueryCommand({
        ...input,
        Limit: page.limit - items.length + (filtered ? 25 : 0),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of result.Items ?? []) {
      if (items.length === page.limit) break;
      items.push(map(item));
      lastKey = {
        pk: item.pk,
        sk: item.sk,
        [indexPartitionKey]: item[indexPartitionKey],
        [LIST_SORT_KEY]: item[LIST_SORT_KEY],
      };
    }
    startKey = result.LastEvaluatedKey;
    if (items.length === page.limit) {
      const more =
        startKey !== undefined || lastKey?.[LIST_SORT_KEY] !== result.Items?.at(-1)?.[LIST_SORT_KEY];
      return { items, ...(more && lastKey ? { nextCursor: encodeCursor(lastKey, page.filter) } : {}) };
    }
  } while (startKey);
  return { items };
}

/**
 * One page of the items listed under `partition` of the by-entity index, newest first, kept to
 * those whose attributes (dotted paths for nested ones) equal the values given; an undefined
 * value is no condition. The cursor is bound to the partition and the conditions.
 */
export function newestListed<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  equals: Record<string, unknown>,
  page: { limit: number; cursor?: string },
  map: (item: Item) => T,
): Promise<Page<T>> {
  const indexKey = OrderIndex.BY_CREATED.partitionKey;
  const names: Record<string, string> = { '#entity': indexKey };
  const values: Record<string, unknown> = { ':entity': partition };
  const conditions = Object.entries(equals)
    .filter(([, value]) => value !== undefined)
    .map(([path, value], i) => {
      const segments = path.split('.').map((segment, j) => {
        names[`#f${i}_${j}`] = segment;
        return `#f${i}_${j}`;
      });
      values[`:f${i}`] = value;
      return `${segments.join('.')} = :f${i}`;
    });
  return queryPage(
    db,
    {
      TableName: tableName,
      IndexName: OrderIndex.BY_CREATED.name,
      KeyConditionExpression: '#entity = :entity',
      ScanIndexForward: false,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    },
    indexKey,
    { limit: page.limit, ...(page.cursor ? { cursor: page.cursor } : {}), filter: { partition, ...equals } },
    map,
  );
}
