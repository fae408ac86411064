import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { type DynamoDbLocal, databaseIn, ensureTables, stringKeyedTable } from '../../infra/local/dynamodb';

export const TABLE = 'Oms';

/**
 * A database of the test file's own in the run's DynamoDB Local, with the single table keyed pk/sk
 * (no indexes), for adapter tests; `db` is set before the file's own beforeAll hooks run.
 */
export function useOmsTable(): { db: DynamoDBDocumentClient } {
  const env = {} as { db: DynamoDBDocumentClient };
  let dynamo: DynamoDbLocal | undefined;
  beforeAll(async () => {
    dynamo = await databaseIn(inject('dynamodbEndpoint'));
    await ensureTables(dynamo.client, [stringKeyedTable(TABLE, 'pk', 'sk')]);
    env.db = DynamoDBDocumentClient.from(dynamo.client);
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  return env;
}
