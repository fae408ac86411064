import { createHash, randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { AwsServiceError } from './aws-error';
import { ensureTables, stringKeyedTable } from './dynamodb';
import { type LocalTemplate, queueArn, queueUrl } from './template';

/** The local cloud's own table for queued messages: a dead letter survives a restart, as on SQS. */
const QUEUES_TABLE = 'LocalCloudQueues';
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
}

interface Queue {
  name: string;
  retentionSeconds: number;
  visibilitySeconds: number;
}

interface StoredMessage {
  queue: string;
  /** Sort key: the send time first, so a queue reads oldest first. */
  id: string;
  messageId: string;
  body: string;
  attributes?: Record<string, MessageAttribute>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * The template's SQS queues (standard queues: the OMS's dead-letter queues), kept in DynamoDB
 * Local and served through the SQS JSON protocol on the local AWS endpoint, so the unchanged SDK
 * client sends, receives, deletes and counts messages as it does on AWS. Retention and visibility
 * timeouts are honoured; FIFO queues and redrive policies are refused at start (not emulated).
 */
export class LocalSqs {
  private constructor(
    private readonly db: DynamoDBClient,
    private readonly queues: Map<string, Queue>,
  ) {}

  static unsupported(template: LocalTemplate): string[] {
    return template
      .resourcesOfType('AWS::SQS::Queue')
      .flatMap(({ logicalId, properties }) => [
        ...(properties.FifoQueue ? [`${logicalId}: FIFO queues are not emulated`] : []),
        ...(properties.RedrivePolicy ? [`${logicalId}: RedrivePolicy is not emulated`] : []),
      ]);
  }

  static async fromTemplate(db: DynamoDBClient, template: LocalTemplate): Promise<LocalSqs> {
    await ensureTables(db, [stringKeyedTable(QUEUES_TABLE, 'queue', 'id')]);
    const queues = new Map(
      template.resourcesOfType('AWS::SQS::Queue').map(({ logicalId, properties }) => [
        logicalId,
        {
          name: logicalId,
          retentionSeconds: Number(properties.MessageRetentionPeriod ?? 4 * 24 * 3600),
          visibilitySeconds: Number(properties.VisibilityTimeout ?? 30),
        },
      ]),
    );
    return new LocalSqs(db, queues);
  }

  /** A queue by its URL, ARN or name (SendMessage takes a URL; destinations and DLQ configs an ARN). */
  private queue(reference: unknown): Queue {
    const name = String(reference ?? '')
      .split(/[/:]/)
      .pop();
    const queue = name ? this.queues.get(name) : undefined;
    if (!queue) throw new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  async sendMessage(input: {
    QueueUrl?: unknown;
    MessageBody?: unknown;
    MessageAttributes?: Record<string, MessageAttribute>;
    DelaySeconds?: number;
  }) {
    const queue = this.queue(input.QueueUrl);
    if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0)
      throw new AwsServiceError('InvalidParameterValue', 'The request must contain a MessageBody.');
    if (Buffer.byteLength(input.MessageBody) > MAX_MESSAGE_BYTES)
      throw new AwsServiceError('InvalidParameterValue', 'Message must be shorter than 262144 bytes.');
    const now = Date.now();
    const messageId = randomUUID();
    const message: StoredMessage = {
      queue: queue.name,
      id: `${String(now).padStart(15, '0')}#${messageId}`,
      messageId,
      body: input.MessageBody,
      ...(input.MessageAttributes ? { attributes: input.MessageAttributes } : {}),
      sentAt: now,
      visibleAt: now + (input.DelaySeconds ?? 0) * 1000,
      receiveCount: 0,
    };
    await this.db.send(
      new PutItemCommand({
        TableName: QUEUES_TABLE,
        Item: marshall(message, { removeUndefinedValues: true }),
      }),
    );
    return { MessageId: messageId, MD5OfMessageBody: md5(message.body) };
  }

  async receiveMessage(input: {
    QueueUrl?: unknown;
    MaxNumberOfMessages?: number;
    VisibilityTimeout?: number;
    WaitTimeSeconds?: number;
    MessageAttributeNames?: string[];
    MessageSystemAttributeNames?: string[];
    AttributeNames?: string[];
  }) {
    const queue = this.queue(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw new AwsServiceError('InvalidParameterValue', 'MaxNumberOfMessages must be between 1 and 10.');
    const visibility = (input.VisibilityTimeout ?? queue.visibilitySeconds) * 1000;
    const deadline = Date.now() + Math.min(input.WaitTimeSeconds ?? 0, 20) * 1000;
    for (;;) {
      const taken = await this.take(queue, max, visibility);
      if (taken.length > 0 || Date.now() >= deadline) {
        // As SQS: only the attributes asked for ("All" or by name) come back.
        const wanted = (names: string[] | undefined, all: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(all).filter(([name]) => names?.includes('All') || names?.includes(name)),
          );
        return {
          Messages: taken.map((m) => {
            const system = wanted(input.MessageSystemAttributeNames ?? input.AttributeNames, {
              SentTimestamp: String(m.sentAt),
              ApproximateReceiveCount: String(m.receiveCount),
              ApproximateFirstReceiveTimestamp: String(m.sentAt),
            });
            const custom = wanted(input.MessageAttributeNames, m.attributes ?? {});
            return {
              MessageId: m.messageId,
              ReceiptHandle: Buffer.from(JSON.stringify([m.queue, m.id, m.receipt])).toString('base64url'),
              MD5OfBody: md5(m.body),
              Body: m.body,
              ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
              ...(Object.keys(custom).length > 0 ? { MessageAttributes: custom } : {}),
            };
          }),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Leases up to `max` visible messages, oldest first; a message already leased by another caller is skipped. */
  private async take(queue: Queue, max: number, visibilityMs: number): Promise<StoredMessage[]> {
    const now = Date.now();
    const taken: StoredMessage[] = [];
    for (const message of await this.messages(queue)) {
      if (taken.length >= max) break;
      if (message.sentAt + queue.retentionSeconds * 1000 <= now) {
        await this.delete(message);
        continue;
      }
      if (message.visibleAt > now) continue;
      const receipt = randomUUID();
      try {
        await this.db.send(
          new UpdateItemCommand({
            TableName: QUEUES_TABLE,
            Key: marshall({ queue: message.queue, id: message.id }),
            UpdateExpression: 'SET visibleAt = :until, receipt = :receipt ADD receiveCount :one',
            ConditionExpression: 'visibleAt <= :now',
            ExpressionAttributeValues: marshall({
              ':until': now + visibilityMs,
              ':receipt': receipt,
              ':one': 1,
              ':now': now,
            }),
          }),
        );
        taken.push({ ...message, receipt, receiveCount: message.receiveCount + 1 });
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return taken;
  }

  private async messages(queue: Queue): Promise<StoredMessage[]> {
    const messages: StoredMessage[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: QUEUES_TABLE,
          KeyConditionExpression: '#queue = :queue',
          ExpressionAttributeNames: { '#queue': 'queue' },
          ExpressionAttributeValues: marshall({ ':queue': queue.name }),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
        }),
      );
      messages.push(...(page.Items ?? []).map((item) => unmarshall(item) as StoredMessage));
      start = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    } while (start);
    return messages;
  }

  private async delete(message: Pick<StoredMessage, 'queue' | 'id'>, receipt?: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: QUEUES_TABLE,
          Key: marshall({ queue: message.queue, id: message.id }),
          ...(receipt
            ? {
                ConditionExpression: 'receipt = :receipt',
                ExpressionAttributeValues: marshall({ ':receipt': receipt }),
              }
            : {}),
        }),
      );
    } catch (error) {
      // As on SQS: deleting with a receipt handle older than the latest receive succeeds and deletes nothing.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private parseReceipt(queue: Queue, handle: unknown): { id: string; receipt: string } {
    try {
      const [name, id, receipt] = JSON.parse(
        Buffer.from(String(handle), 'base64url').toString('utf8'),
      ) as string[];
      if (name === queue.name && id && receipt) return { id, receipt };
    } catch {
      // answered below
    }
    throw new AwsServiceError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${String(handle)}" is not valid.`,
    );
  }

  async deleteMessage(input: { QueueUrl?: unknown; ReceiptHandle?: unknown }) {
    const queue = this.queue(input.QueueUrl);
    const { id, receipt } = this.parseReceipt(queue, input.ReceiptHandle);
    await this.delete({ queue: queue.name, id }, receipt);
    return {};
  }

  async changeMessageVisibility(input: {
    QueueUrl?: unknown;
    ReceiptHandle?: unknown;
    VisibilityTimeout?: number;
  }) {
    const queue = this.queue(input.QueueUrl);
    const { id, receipt } = this.parseReceipt(queue, input.ReceiptHandle);
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: QUEUES_TABLE,
          Key: marshall({ queue: queue.name, id }),
          UpdateExpression: 'SET visibleAt = :at',
          ConditionExpression: 'receipt = :receipt',
          ExpressionAttributeValues: marshall({
            ':at': Date.now() + (input.VisibilityTimeout ?? 0) * 1000,
            ':receipt': receipt,
          }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.');
    }
    return {};
  }

  async getQueueAttributes(input: { QueueUrl?: unknown }) {
    const queue = this.queue(input.QueueUrl);
    const now = Date.now();
    const live = (await this.messages(queue)).filter((m) => m.sentAt + queue.retentionSeconds * 1000 > now);
    const visible = live.filter((m) => m.visibleAt <= now).length;
    return {
      Attributes: {
        QueueArn: queueArn(queue.name),
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(live.length - visible),
        MessageRetentionPeriod: String(queue.retentionSeconds),
        VisibilityTimeout: String(queue.visibilitySeconds),
      },
    };
  }

  async purgeQueue(input: { QueueUrl?: unknown }) {
    const queue = this.queue(input.QueueUrl);
    for (const message of await this.messages(queue)) await this.delete(message);
    return {};
  }

  getQueueUrl(input: { QueueName?: unknown }) {
    return { QueueUrl: queueUrl(this.queue(input.QueueName).name) };
  }

  listQueues() {
    return { QueueUrls: [...this.queues.keys()].map(queueUrl) };
  }
}
