import { DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn, ensureTables, stringKeyedTable } from '../../infra/local/dynamodb';

const opened: DynamoDbLocal[] = [];
const open = async () => {
  const database = await databaseIn(inject('dynamodbEndpoint'));
  opened.push(database);
  return database;
};
afterAll(async () => {
  await Promise.all(opened.map((d) => d.stop()));
});

// Every local cloud of the test run relies on this: AWS's usage notes say -inMemory needs
// -sharedDb, and this DynamoDB Local keeps one database per access key without it.
describe("the test run's DynamoDB Local", () => {
  it('keeps a database per access key: tables and items of one are not seen by another, and a stopped one is gone', async () => {
    const [a, b] = [await open(), await open()];
    for (const db of [a, b]) await ensureTables(db.client, [stringKeyedTable('Oms', 'pk')]);
    await a.client.send(new PutItemCommand({ TableName: 'Oms', Item: { pk: { S: 'only-in-a' } } }));

    expect((await b.client.send(new ScanCommand({ TableName: 'Oms' }))).Items).toEqual([]);
    expect((await a.client.send(new ScanCommand({ TableName: 'Oms' }))).Items).toHaveLength(1);

    await a.stop();
    const sameKey = new DynamoDBClient({
      endpoint: a.endpoint,
      region: 'us-east-1',
      credentials: a.credentials,
    });
    expect((await sameKey.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    sameKey.destroy();
    expect((await b.client.send(new ListTablesCommand({}))).TableNames).toEqual(['Oms']);
  });
});
