import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inChunks } from './batch-chunks';

/** BatchWriteItem's limit of requests per call. */
const BATCH_LIMIT = 25;

/** Puts and deletes in as few BatchWriteItem calls as its limit allows, until all landed. */
export async function writeInBatches(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  await inChunks(requests, BATCH_LIMIT, async (chunk) => {
    const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: chunk } }));
    return (result.UnprocessedItems?.[tableName] ?? []) as typeof chunk;
  });
}
