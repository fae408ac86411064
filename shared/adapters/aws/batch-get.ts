import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inChunks } from './batch-chunks';

/** BatchGetItem's limit of keys per call. */
const BATCH_LIMIT = 100;

/**
 * The items of many keys (strongly consistent) in as few BatchGetItem calls as its limit allows;
 * keys with no item are simply absent, and a key asked twice is read once (BatchGetItem refuses
 * duplicates).
 */
export async function getInBatches(
  db: DynamoDBDocumentClient,
  tableName: string,
  asked: ReadonlyArray<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> {
  const keys = [...new Map(asked.map((key) => [JSON.stringify(key), key])).values()];
  const items: Array<Record<string, unknown>> = [];
  await inChunks(keys, BATCH_LIMIT, async (chunk) => {
    const response = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: chunk, ConsistentRead: true } } }),
    );
    items.push(...(response.Responses?.[tableName] ?? []));
    return response.UnprocessedKeys?.[tableName]?.Keys ?? [];
  });
  return items;
}
