import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { LocalSqs } from '../../infra/local/sqs';
import { LocalTemplate, queueArn } from '../../infra/local/template';

/** ReceiveMessage on the local SQS, for a queue kept in DynamoDB Local and one a mapping reads (in memory). */

let dynamo: DynamoDbLocal;
let sqs: LocalSqs;

beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
  const template = new LocalTemplate(
    {
      Resources: {
        Kept: { Type: 'AWS::SQS::Queue', Properties: {} },
        Piped: {
          Type: 'AWS::SQS::Queue',
          Properties: { RedrivePolicy: { deadLetterTargetArn: queueArn('Kept'), maxReceiveCount: 5 } },
        },
        PipedMapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { EventSourceArn: queueArn('Piped'), FunctionName: 'f' },
        },
      },
    },
    '.',
  );
  sqs = await LocalSqs.fromTemplate(dynamo.client, template);
});
afterAll(async () => {
  await dynamo?.stop();
});

const bodies = (received: { Messages: Array<{ Body?: string }> }) => received.Messages.map((m) => m.Body);

describe('receiving from the local SQS', () => {
  for (const queue of ['Kept', 'Piped']) {
    it(`takes the visible messages behind those in flight, oldest first, and one put back comes again (${queue})`, async () => {
      const url = queueArn(queue);
      await sqs.purgeQueue({ QueueUrl: url });
      for (const n of [1, 2, 3, 4, 5]) {
        await sqs.sendMessage({ QueueUrl: url, MessageBody: `m${n}` });
        // The sort key starts with the send time: one millisecond apart keeps the order certain.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const first = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 2 });
      expect(bodies(first)).toEqual(['m1', 'm2']);
      expect(bodies(await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 10 }))).toEqual([
        'm3',
        'm4',
        'm5',
      ]);
      expect(bodies(await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: 10 }))).toEqual([]);
      await sqs.changeMessageVisibility({
        QueueUrl: url,
        ReceiptHandle: first.Messages[1]?.ReceiptHandle,
        VisibilityTimeout: 0,
      });
      const again = await sqs.receiveMessage({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      expect(bodies(again)).toEqual(['m2']);
      expect(again.Messages[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    });
  }
});
