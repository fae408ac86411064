import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { LocalEventSourceMappings } from '../../infra/local/event-source-mappings';
import { LocalSqs } from '../../infra/local/sqs';
import { LocalTemplate, queueArn } from '../../infra/local/template';
import { eventually } from '../support/http';

/** Lambda reading an SQS queue in batches, in the local cloud: batching, partial failures, redrive. */

interface SqsRecord {
  messageId: string;
  body: string;
  eventSource: string;
  eventSourceARN: string;
  attributes: { ApproximateReceiveCount: string };
}

const template = (mapping: Record<string, unknown>) =>
  new LocalTemplate(
    {
      Resources: {
        Projection: { Type: 'AWS::Lambda::Function' },
        ProjectionDeadLetters: { Type: 'AWS::SQS::Queue' },
        ProjectionQueue: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            VisibilityTimeout: 30,
            RedrivePolicy: {
              deadLetterTargetArn: { 'Fn::GetAtt': ['ProjectionDeadLetters', 'Arn'] },
              maxReceiveCount: 3,
            },
          },
        },
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['ProjectionQueue', 'Arn'] },
            FunctionName: { Ref: 'Projection' },
            ...mapping,
          },
        },
      },
    },
    '.',
  );

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
});
afterAll(async () => {
  await dynamo?.stop();
});

/** A mapping over a fresh queue whose function records each batch and answers with `answer`. */
async function mapped(
  mapping: Record<string, unknown>,
  answer: (records: SqsRecord[]) => unknown = () => ({ batchItemFailures: [] }),
) {
  const local = template(mapping);
  const sqs = await LocalSqs.fromTemplate(dynamo.client, local);
  await sqs.purgeQueue({ QueueUrl: 'ProjectionDeadLetters' });
  const batches: SqsRecord[][] = [];
  const mappings = LocalEventSourceMappings.fromTemplate(local, sqs, async (name, event) => {
    expect(name).toBe('Projection');
    const records = (event as { Records: SqsRecord[] }).Records;
    batches.push(records);
    return answer(records);
  });
  const send = (body: string) =>
    sqs.sendMessage({ QueueUrl: queueArn('ProjectionQueue'), MessageBody: body });
  const deadLetters = async () =>
    (
      await sqs.receiveMessage({
        QueueUrl: 'ProjectionDeadLetters',
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      })
    ).Messages ?? [];
  return { sqs, mappings, batches, send, deadLetters };
}

describe('event source mappings from SQS, locally', () => {
  it('gathers messages into one batch up to its batch size or its batching window, as SQS event records, and deletes what succeeded', async () => {
    const { mappings, batches, send, sqs } = await mapped({
      BatchSize: 4,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    mappings.start();
    try {
      for (const n of [1, 2, 3, 4, 5, 6]) await send(`m${n}`);
      await eventually(async () => (batches.flat().length === 6 ? true : undefined), 10_000);
      // Four at once (the batch size), then the last two once the window ran out.
      expect(batches.map((b) => b.map((r) => r.body))).toEqual([
        ['m1', 'm2', 'm3', 'm4'],
        ['m5', 'm6'],
      ]);
      expect(batches[0]?.[0]).toMatchObject({
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn('ProjectionQueue'),
        attributes: { ApproximateReceiveCount: '1' },
      });
      await mappings.idle();
      expect(mappings.busy()).toBe(false);
      const left = await sqs.getQueueAttributes({ QueueUrl: 'ProjectionQueue' });
      expect(left.Attributes.ApproximateNumberOfMessages).toBe('0');
      expect(left.Attributes.ApproximateNumberOfMessagesNotVisible).toBe('0');
    } finally {
      await mappings.stop();
    }
  });

  it('receives again only the messages a batch response names as failed, and moves one failed past maxReceiveCount to the dead-letter queue', async () => {
    const { mappings, batches, send, deadLetters } = await mapped(
      {
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 0,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
      (records) => ({
        batchItemFailures: records
          .filter((r) => r.body === 'poison')
          .map((r) => ({ itemIdentifier: r.messageId })),
      }),
    );
    await send('good');
    await send('poison');
    mappings.start();
    try {
      await mappings.idle();
      const bodies = batches.map((b) => b.map((r) => r.body));
      expect(bodies[0]).toEqual(['good', 'poison']);
      // The good message once; the poison one until its third receive, then moved.
      expect(bodies.flat().filter((b) => b === 'good')).toHaveLength(1);
      expect(bodies.flat().filter((b) => b === 'poison')).toHaveLength(3);
      expect((await deadLetters()).map((m) => m.Body)).toEqual(['poison']);
    } finally {
      await mappings.stop();
    }
  });

  it('receives the whole batch again when the function throws, or names a message that was not in the batch', async () => {
    let calls = 0;
    const { mappings, batches, send } = await mapped(
      { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] },
      () => {
        calls++;
        if (calls === 1) throw new Error('down');
        if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        return { batchItemFailures: [] };
      },
    );
    await send('a');
    await send('b');
    mappings.start();
    try {
      await mappings.idle();
      expect(batches.map((b) => b.map((r) => r.body).sort())).toEqual([
        ['a', 'b'],
        ['a', 'b'],
        ['a', 'b'],
      ]);
      expect(batches[2]?.[0]?.attributes.ApproximateReceiveCount).toBe('3');
    } finally {
      await mappings.stop();
    }
  });

  it('runs a few batches of a mapping at once, so a slow one does not hold up the rest of its queue', async () => {
    const finished: string[] = [];
    const { mappings, send } = await mapped({ BatchSize: 1 }, async (records) => {
      const body = records[0]?.body ?? '';
      if (body === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_500));
      finished.push(body);
      return {};
    });
    await send('slow');
    await send('fast 1');
    await send('fast 2');
    mappings.start();
    try {
      await mappings.idle();
      expect(finished).toEqual(['fast 1', 'fast 2', 'slow']);
    } finally {
      await mappings.stop();
    }
  });

  it('keeps what a queue in memory still holds at a stop in DynamoDB Local, and the next start hands it to the function', async () => {
    const { sqs, send } = await mapped({ BatchSize: 10 });
    await send('in flight at the stop');
    expect(await sqs.keepHeldMessages()).toBe(1);
    expect(sqs.inMemory.size('ProjectionQueue')).toBe(0);
    // A new LocalSqs over the same database (a restart) holds it in memory again, for its mapping.
    const restarted = await mapped({ BatchSize: 10 });
    expect(restarted.sqs.inMemory.size('ProjectionQueue')).toBe(1);
    restarted.mappings.start();
    try {
      await restarted.mappings.idle();
      expect(restarted.batches.flat().map((r) => r.body)).toEqual(['in flight at the stop']);
    } finally {
      await restarted.mappings.stop();
    }
    // Read back once: a third start finds nothing.
    expect((await mapped({ BatchSize: 10 })).sqs.inMemory.size('ProjectionQueue')).toBe(0);
  });

  it('refuses at start a mapping it cannot run: a source that is not SQS, event filtering, a mapped queue without a redrive policy', () => {
    const kinesis = new LocalTemplate(
      {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function' },
          Q: { Type: 'AWS::SQS::Queue' },
          FromStream: {
            Type: 'AWS::Lambda::EventSourceMapping',
            Properties: {
              EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
              FunctionName: 'Fn',
            },
          },
          Filtered: {
            Type: 'AWS::Lambda::EventSourceMapping',
            Properties: {
              EventSourceArn: { 'Fn::GetAtt': ['Q', 'Arn'] },
              FunctionName: 'Fn',
              FilterCriteria: { Filters: [{ Pattern: '{}' }] },
            },
          },
        },
      },
      '.',
    );
    expect(LocalEventSourceMappings.unsupported(kinesis)).toEqual([
      'FromStream: only SQS event sources are emulated',
      'Filtered: FilterCriteria is not emulated',
    ]);
    expect(LocalSqs.unsupported(kinesis)).toEqual([
      'Q: a queue an event source mapping reads needs a RedrivePolicy',
    ]);
  });
});
