import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem's limit of keys per call. */
const BATCH_LIMIT = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The items of many keys (strongly consistent) in as few BatchGetItem calls as its limit allows;
 * keys with no item are simply absent, and a key asked twice is read once (BatchGetItem refuses
 * duplicates). What DynamoDB leaves unprocessed (throttling) is asked again after a growing
 * pause, as AWS advises, until all are read.
 */
export async function getInBatches(
  db: DynamoDBDocumentClient,
  tableName: string,
  asked: ReadonlyArray<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> {
  const keys = [...new Map(asked.map((key) => [JSON.stringify(key), key])).values()];
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keys.length; i += BATCH_LIMIT) {
    let batch = keys.slice(i, i + BATCH_LIMIT);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
      const response = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...batch], ConsistentRead: true } } }),
      );
      items.push(...(response.Responses?.[tableName] ?? []));
      batch = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
