import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { awsJsonEndpoint } from '../../infra/local/endpoint';
import { close, listen } from '../../infra/local/http-server';
import { LocalSqs } from '../../infra/local/sqs';
import { LocalTemplate, queueArn, queueUrl } from '../../infra/local/template';
import { SqsDeadLetterQueues } from '../../shared/adapters/aws/sqs-dead-letter-queues';

/** The dead-letter adapter through the unchanged SQS client, against the local cloud's SQS. */

let dynamo: DynamoDbLocal;
let server: Awaited<ReturnType<typeof listen>>;
let client: SQSClient;
let sqs: LocalSqs;
let queues: SqsDeadLetterQueues;

beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
  const template = new LocalTemplate(
    {
      Resources: { NotifierDeadLetters: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } },
    },
    '.',
  );
  sqs = await LocalSqs.fromTemplate(dynamo.client, template);
  server = await listen(awsJsonEndpoint({ sqs } as Parameters<typeof awsJsonEndpoint>[0]), 0);
  client = new SQSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    useQueueUrlAsEndpoint: false,
  });
  queues = new SqsDeadLetterQueues(client, { Notifier: queueUrl('NotifierDeadLetters') });
});
afterAll(async () => {
  client?.destroy();
  if (server) await close(server.server);
  await dynamo?.stop();
});

const arn = queueArn('NotifierDeadLetters');
const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'OrderConfirmed',
  source: 'oms.orders',
  detail: { n: 1 },
};

async function drain(): Promise<void> {
  await sqs.purgeQueue({ QueueUrl: arn });
}

describe('dead-letter queues on SQS', () => {
  it("reads both writers' formats: EventBridge's undeliverable event and Lambda's record of a function that failed every attempt", async () => {
    await drain();
    await sqs.sendMessage({
      QueueUrl: arn,
      MessageBody: JSON.stringify(event),
      MessageAttributes: {
        RULE_ARN: {
          DataType: 'String',
          StringValue: 'arn:aws:events:us-east-1:000000000000:rule/Bus/Notifications',
        },
        TARGET_ARN: {
          DataType: 'String',
          StringValue: 'arn:aws:lambda:us-east-1:000000000000:function:Notifier',
        },
        ERROR_CODE: { DataType: 'String', StringValue: 'ResourceNotFoundException' },
        ERROR_MESSAGE: { DataType: 'String', StringValue: 'Function not found' },
        RETRY_ATTEMPTS: { DataType: 'String', StringValue: '8' },
      },
    });
    await sqs.sendMessage({
      QueueUrl: arn,
      MessageBody: JSON.stringify({
        version: '1.0',
        timestamp: '2026-12-02T10:00:00.000Z',
        requestContext: {
          requestId: 'r-1',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Notifier:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: event,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'ServiceUnavailable', errorMessage: 'SES is down' },
      }),
    });
    const { approximateCount, letters } = await queues.peek('Notifier', 10);
    expect(approximateCount).toBe(2);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          queue: 'Notifier',
          stage: 'delivery',
          rule: 'Notifications',
          target: 'arn:aws:lambda:us-east-1:000000000000:function:Notifier',
          attempts: 9,
          error: { type: 'ResourceNotFoundException', message: 'Function not found' },
          payload: event,
        }),
        expect.objectContaining({
          stage: 'function',
          failedAt: '2026-12-02T10:00:00.000Z',
          target: 'arn:aws:lambda:us-east-1:000000000000:function:Notifier',
          attempts: 3,
          error: { type: 'ServiceUnavailable', message: 'SES is down' },
          payload: event,
        }),
      ]),
    );
  });

  it('peeks without hiding anything, leases out of sight, puts back at once, and removes by receipt', async () => {
    await drain();
    await sqs.sendMessage({ QueueUrl: arn, MessageBody: JSON.stringify({ n: 1 }) });
    expect((await queues.peek('Notifier', 10)).letters).toHaveLength(1);
    expect((await queues.peek('Notifier', 10)).letters).toHaveLength(1);

    const [leased] = await queues.lease('Notifier', 10, 60);
    expect(leased?.payload).toEqual({ n: 1 });
    const hidden = await queues.peek('Notifier', 10);
    expect(hidden).toEqual({ approximateCount: 1, letters: [] });

    await queues.putBack('Notifier', String(leased?.receipt));
    const [again] = await queues.lease('Notifier', 10, 60);
    expect(again?.id).toBe(leased?.id);
    await queues.remove('Notifier', String(again?.receipt));
    expect(await queues.peek('Notifier', 10)).toEqual({ approximateCount: 0, letters: [] });
  });

  it('keeps a message when it is deleted with a receipt older than its latest receive, as SQS does', async () => {
    await drain();
    await sqs.sendMessage({ QueueUrl: arn, MessageBody: 'x' });
    const first = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('NotifierDeadLetters'), VisibilityTimeout: 0 }),
    );
    const second = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('NotifierDeadLetters'), VisibilityTimeout: 0 }),
    );
    expect(second.Messages?.[0]?.Attributes).toBeUndefined();
    await client.send(
      new DeleteMessageCommand({
        QueueUrl: queueUrl('NotifierDeadLetters'),
        ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
      }),
    );
    expect((await queues.peek('Notifier', 10)).approximateCount).toBe(1);
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: queueUrl('NoSuchQueue'), ReceiptHandle: 'r' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
