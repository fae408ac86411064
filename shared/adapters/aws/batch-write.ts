import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchWriteItem's limit of requests per call. */
const BATCH_LIMIT = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts and deletes in as few BatchWriteItem calls as its limit allows. What DynamoDB leaves
 * unprocessed (throttling) is sent again after a growing pause, as AWS advises, until all landed.
 */
export async function writeInBatches(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) {
    let batch = requests.slice(i, i + BATCH_LIMIT);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
      batch = (result.UnprocessedItems?.[tableName] ?? []) as typeof batch;
    }
  }
}
