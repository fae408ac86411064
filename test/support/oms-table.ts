import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import {
  type DynamoDbLocal,
  ensureTables,
  startDynamoDbLocal,
  stringKeyedTable,
} from '../../infra/local/dynamodb';

export const TABLE = 'Oms';

/**
 * A DynamoDB Local for the test file with the single table keyed pk/sk (no indexes), for adapter
 * tests; `db` is set before the file's own beforeAll hooks run.
 */
export function useOmsTable(): { db: DynamoDBDocumentClient } {
  const env = {} as { db: DynamoDBDocumentClient };
  let dynamo: DynamoDbLocal | undefined;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    await ensureTables(dynamo.client, [stringKeyedTable(TABLE, 'pk', 'sk')]);
    env.db = DynamoDBDocumentClient.from(dynamo.client);
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  return env;
}
