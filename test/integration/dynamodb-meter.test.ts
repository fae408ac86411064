import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn, ensureTables, stringKeyedTable } from '../../infra/local/dynamodb';
import { type DynamoDbMeter, startDynamoDbMeter } from '../../infra/local/dynamodb-meter';
import { ExecutionJournal, type HistoryEvent } from '../../infra/local/execution-journal';

let dynamo: DynamoDbLocal;
let meter: DynamoDbMeter;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
  await ensureTables(dynamo.client, [stringKeyedTable('Things', 'pk')]);
  meter = await startDynamoDbMeter(dynamo.endpoint);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await meter?.stop();
  await dynamo?.stop();
});

/** A client through the meter that names itself like a local function does (AWS_SDK_UA_APP_ID). */
function caller(appId: string): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint: meter.endpoint,
    region: 'us-east-1',
    credentials: dynamo.credentials,
    userAgentAppId: appId,
  });
  clients.push(client);
  return client;
}

const put = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk } } } });

describe('the DynamoDB meter', () => {
  it('counts item writes per caller: one per put, update or delete, one per item of a batch or transaction, none for reads; and every request, reads included, per caller and operation', async () => {
    const a = caller('StageA');
    const b = caller('StageB');
    await a.send(new PutItemCommand({ TableName: 'Things', Item: { pk: { S: 'a1' } } }));
    await a.send(new BatchWriteItemCommand({ RequestItems: { Things: [put('a2'), put('a3'), put('a4')] } }));
    await b.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'Things', Item: { pk: { S: 'b1' } } } },
          { Put: { TableName: 'Things', Item: { pk: { S: 'b2' } } } },
        ],
      }),
    );
    // Passed through untouched: the read answers what the writes stored.
    const read = await b.send(new GetItemCommand({ TableName: 'Things', Key: { pk: { S: 'a3' } } }));
    expect(read.Item?.pk?.S).toBe('a3');
    expect(Object.fromEntries(meter.writes())).toEqual({ StageA: 4, StageB: 2 });
    expect(Object.fromEntries(meter.requests())).toEqual({
      'StageA PutItem': 1,
      'StageA BatchWriteItem': 1,
      'StageB TransactWriteItems': 1,
      'StageB GetItem': 1,
    });
  });

  it('sees one item write per journal flush, however many history events it carries, and reads them back in order', async () => {
    const journal = new ExecutionJournal(caller('Journal'));
    await journal.ensureTable();
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:M:metered';
    const events = (from: number, to: number): HistoryEvent[] =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        id: from + i,
        previousEventId: from + i - 1,
        timestamp: 1,
        type: 'TaskStateEntered',
      }));
    await journal.appendHistory(arn, events(1, 40));
    await journal.appendHistory(arn, events(41, 45));
    expect(meter.writes().get('Journal')).toBe(2);
    expect((await journal.history(arn)).map((e) => e.id)).toEqual(events(1, 45).map((e) => e.id));
  });

  it('adds up the capacity units DynamoDB reports to callers that ask for them: writes by item size (1 KB units, doubled in a transaction), reads by 4 KB halves', async () => {
    const c = caller('StageC');
    const kb = (n: number) => 'x'.repeat(n * 1024 - 100);
    const asked = { ReturnConsumedCapacity: 'TOTAL' } as const;
    // 2.5 KB put: 3 write units. A transaction of a small item and a 2.5 KB one: (1 + 3) x 2 = 8.
    await c.send(
      new PutItemCommand({
        TableName: 'Things',
        Item: { pk: { S: 'c1' }, v: { S: `${kb(2)}${'y'.repeat(512)}` } },
        ...asked,
      }),
    );
    await c.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'Things', Item: { pk: { S: 'c2' } } } },
          { Put: { TableName: 'Things', Item: { pk: { S: 'c3' }, v: { S: `${kb(2)}${'y'.repeat(512)}` } } } },
        ],
        ...asked,
      }),
    );
    // An eventually consistent read of up to 4 KB: half a unit; strongly consistent: one.
    await c.send(new GetItemCommand({ TableName: 'Things', Key: { pk: { S: 'c1' } }, ...asked }));
    await c.send(
      new GetItemCommand({ TableName: 'Things', Key: { pk: { S: 'c1' } }, ConsistentRead: true, ...asked }),
    );
    // A caller that does not ask reports nothing (and is not guessed at).
    await caller('StageD').send(new PutItemCommand({ TableName: 'Things', Item: { pk: { S: 'd1' } } }));
    const capacity = meter.capacity();
    expect(capacity.get('StageC')).toEqual({ writeUnits: 11, readUnits: 1.5 });
    expect(capacity.get('StageD')).toBeUndefined();
  });
});
