import { createHash, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AwsServiceError } from './aws-error';
import {
  DynamoMessageStore,
  MemoryMessageStore,
  type MessageAttribute,
  type MessageStore,
  type StoredMessage,
} from './sqs-message-stores';
import { type LocalTemplate, queueArn, queueUrl } from './template';

export type { MessageAttribute } from './sqs-message-stores';

const MAX_MESSAGE_BYTES = 256 * 1024;
const BILLED_CHUNK_BYTES = 64 * 1024;

interface Queue {
  name: string;
  retentionSeconds: number;
  visibilitySeconds: number;
  /** SQS's redrive policy: received this often without being deleted, a message moves to the queue named. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
  store: MessageStore;
}

/** The queues that event source mappings read, by name. */
const mappedQueues = (template: LocalTemplate) =>
  new Set(
    template
      .resourcesOfType('AWS::Lambda::EventSourceMapping')
      .map(({ properties }) => nameOf(properties.EventSourceArn)),
  );
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const nameOf = (reference: unknown) =>
  String(reference ?? '')
    .split(/[/:]/)
    .pop();

/**
 * The template's SQS queues (standard queues), served through the SQS JSON protocol on the local
 * AWS endpoint, so the unchanged SDK client sends, receives, deletes and counts messages as it does
 * on AWS. Retention, visibility timeouts and redrive policies are honoured; FIFO queues are refused
 * at start (not emulated). Dead-letter queues are kept in DynamoDB Local, so a dead letter survives
 * a restart; a queue that an event source mapping reads is kept in memory (MemoryMessageStore says why).
 */
export class LocalSqs {
  /** SendMessage requests as SQS bills them (one per 64 KB of body). */
  private billed = 0;

  private constructor(
    private readonly queues: Map<string, Queue>,
    private readonly kept: MessageStore,
    readonly inMemory: MemoryMessageStore,
  ) {}

  static unsupported(template: LocalTemplate): string[] {
    const mapped = mappedQueues(template);
    return template.resourcesOfType('AWS::SQS::Queue').flatMap(({ logicalId, properties }) => [
      ...(properties.FifoQueue ? [`${logicalId}: FIFO queues are not emulated`] : []),
      // Without one, a message its function always fails would come back every second, for days.
      ...(mapped.has(logicalId) && !properties.RedrivePolicy
        ? [`${logicalId}: a queue an event source mapping reads needs a RedrivePolicy`]
        : []),
    ]);
  }

  static async fromTemplate(db: DynamoDBClient, template: LocalTemplate): Promise<LocalSqs> {
    const kept = await DynamoMessageStore.create(db);
    const inMemory = new MemoryMessageStore();
    const mapped = mappedQueues(template);
    const queues = new Map(
      template.resourcesOfType('AWS::SQS::Queue').map(({ logicalId, properties }) => {
        const redrive = properties.RedrivePolicy as
          | { deadLetterTargetArn?: string; maxReceiveCount?: number }
          | undefined;
        const queue: Queue = {
          name: logicalId,
          retentionSeconds: Number(properties.MessageRetentionPeriod ?? 4 * 24 * 3600),
          visibilitySeconds: Number(properties.VisibilityTimeout ?? 30),
          ...(redrive?.deadLetterTargetArn
            ? {
                redrive: {
                  deadLetterQueue: nameOf(redrive.deadLetterTargetArn) ?? '',
                  maxReceiveCount: Number(redrive.maxReceiveCount ?? 10),
                },
              }
            : {}),
          store: mapped.has(logicalId) ? inMemory : kept,
        };
        return [logicalId, queue] as const;
      }),
    );
    // What the last stop kept of the queues held in memory comes back to memory.
    for (const name of mapped) {
      if (!name || !queues.has(name)) continue;
      for await (const message of kept.messages(name)) {
        await inMemory.put(message);
        await kept.delete(message);
      }
    }
    return new LocalSqs(queues, kept, inMemory);
  }

  /** A queue by its URL, ARN or name (SendMessage takes a URL; destinations and DLQ configs an ARN). */
  private queue(reference: unknown): Queue {
    const name = nameOf(reference);
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
    await queue.store.put(message);
    this.billed += Math.max(1, Math.ceil(Buffer.byteLength(message.body) / BILLED_CHUNK_BYTES));
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

  /**
   * Leases up to `max` visible messages, oldest first; a message already leased by another caller
   * is skipped. One received as often as the redrive policy allows moves to its dead-letter queue
   * instead, as SQS moves it.
   */
  private async take(queue: Queue, max: number, visibilityMs: number): Promise<StoredMessage[]> {
    const now = Date.now();
    const taken: StoredMessage[] = [];
    // Past its retention a message is dropped when next visible: until then its lease holds it.
    for await (const message of queue.store.messages(queue.name, { visibleAt: now })) {
      if (taken.length >= max) break;
      if (message.sentAt + queue.retentionSeconds * 1000 <= now) {
        await queue.store.delete(message);
        continue;
      }
      if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
        await this.moveToDeadLetters(queue, message);
        continue;
      }
      const receipt = randomUUID();
      if (await queue.store.lease(message, { now, until: now + visibilityMs, receipt }))
        taken.push({ ...message, receipt, receiveCount: message.receiveCount + 1 });
    }
    return taken;
  }

  /** Messages sent so far, in billed requests (the bus's deliveries to queue targets, redrives). */
  sendRequests(): number {
    return this.billed;
  }

  /**
   * At a stop: what a queue in memory still holds is written to DynamoDB Local, and the next start
   * reads it back (`fromTemplate`), so a stop loses nothing a queue accepted. Visible at once then,
   * as a message whose receiver stopped is.
   */
  async keepHeldMessages(): Promise<number> {
    let kept = 0;
    for (const queue of this.queues.values()) {
      if (queue.store !== this.inMemory) continue;
      for await (const message of queue.store.messages(queue.name)) {
        const { receipt: _receipt, ...held } = message;
        await this.kept.put({ ...held, visibleAt: 0 });
        await queue.store.delete(message);
        kept++;
      }
    }
    return kept;
  }

  /** As SQS moves it: the same message (id, body, attributes, first sent time), received no more here. */
  private async moveToDeadLetters(queue: Queue, message: StoredMessage): Promise<void> {
    const target = this.queue(queue.redrive?.deadLetterQueue);
    const { receipt: _receipt, ...moved } = message;
    await target.store.put({ ...moved, queue: target.name, visibleAt: Date.now(), receiveCount: 0 });
    await queue.store.delete(message);
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
    await queue.store.delete({ queue: queue.name, id }, receipt);
    return {};
  }

  async changeMessageVisibility(input: {
    QueueUrl?: unknown;
    ReceiptHandle?: unknown;
    VisibilityTimeout?: number;
  }) {
    const queue = this.queue(input.QueueUrl);
    const { id, receipt } = this.parseReceipt(queue, input.ReceiptHandle);
    const at = Date.now() + (input.VisibilityTimeout ?? 0) * 1000;
    if (!(await queue.store.setVisibleAt({ queue: queue.name, id }, receipt, at)))
      throw new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.');
    return {};
  }

  async getQueueAttributes(input: { QueueUrl?: unknown }) {
    const queue = this.queue(input.QueueUrl);
    const now = Date.now();
    let live = 0;
    let visible = 0;
    for await (const m of queue.store.messages(queue.name)) {
      if (m.sentAt + queue.retentionSeconds * 1000 <= now) continue;
      live++;
      if (m.visibleAt <= now) visible++;
    }
    return {
      Attributes: {
        QueueArn: queueArn(queue.name),
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(live - visible),
        MessageRetentionPeriod: String(queue.retentionSeconds),
        VisibilityTimeout: String(queue.visibilitySeconds),
      },
    };
  }

  async purgeQueue(input: { QueueUrl?: unknown }) {
    const queue = this.queue(input.QueueUrl);
    for await (const message of queue.store.messages(queue.name)) await queue.store.delete(message);
    return {};
  }

  getQueueUrl(input: { QueueName?: unknown }) {
    return { QueueUrl: queueUrl(this.queue(input.QueueName).name) };
  }

  listQueues() {
    return { QueueUrls: [...this.queues.keys()].map(queueUrl) };
  }
}
