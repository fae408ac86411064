import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { ExecutionJournal, type HistoryEvent } from '../../infra/local/execution-journal';

/** The local Step Functions' journal: executions' histories kept in DynamoDB Local. */

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
});
afterAll(async () => {
  await dynamo?.stop();
});

const events = (from: number, count: number): HistoryEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: from + i,
    previousEventId: from + i - 1,
    timestamp: 1,
    type: 'TaskStateEntered',
  }));

describe('the execution journal', () => {
  it("writes the appends of many executions made at once in shared BatchWriteItem calls (group commit), each execution's history whole", async () => {
    const journal = new ExecutionJournal(dynamo.client);
    await journal.ensureTable();
    let batchWrites = 0;
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand') batchWrites++;
        return next(args);
      },
      { step: 'initialize', name: 'countBatchWrites' },
    );
    const arns = Array.from(
      { length: 60 },
      (_, i) => `arn:aws:states:us-east-1:000000000000:execution:M:e${i}`,
    );
    await Promise.all(arns.map((arn) => journal.appendHistory(arn, events(1, 3))));
    await Promise.all(arns.map((arn) => journal.appendHistory(arn, events(4, 2))));
    // Alone, one call each: 120. The first append is written at once, the rest of its round waits for it.
    expect(batchWrites).toBeLessThanOrEqual(8);
    for (const arn of [arns[0], arns[59]] as string[])
      expect((await journal.history(arn)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
