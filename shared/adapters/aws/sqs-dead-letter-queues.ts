import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterQueues, LeasedDeadLetter } from '../../application/ports';

/** Lambda's on-failure destination record (the invocation record format). */
interface InvocationRecord {
  timestamp?: string;
  requestContext?: { functionArn?: string; condition?: string; approximateInvokeCount?: number };
  requestPayload?: unknown;
  responsePayload?: { errorType?: string; errorMessage?: string } | null;
}

const queueName = (url: string) => url.split('/').pop() ?? url;

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
};

/**
 * A queue message as a dead letter. Three senders write to these queues: EventBridge, when it
 * could not deliver an event to its target (the body is the event, the reasons are message
 * attributes); Lambda, when an asynchronous invocation failed on every attempt (the body is an
 * invocation record holding the event); and SQS, when a batched consumer's queue (`source`) moved
 * a message its batches failed too often (the body is the event, as EventBridge queued it).
 */
export function deadLetterOf(queue: string, message: Message, source?: string): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const sentAt = Number(message.Attributes?.SentTimestamp ?? Date.now());
  const body = parse(message.Body ?? '');
  const base = { id: message.MessageId ?? '', queue };
  const rule = attribute('RULE_ARN');
  if (rule) {
    const target = attribute('TARGET_ARN');
    const retries = attribute('RETRY_ATTEMPTS');
    const code = attribute('ERROR_CODE');
    return {
      ...base,
      failedAt: new Date(sentAt).toISOString(),
      stage: 'delivery',
      rule: rule.split('/').pop() ?? rule,
      ...(target ? { target } : {}),
      ...(retries ? { attempts: Number(retries) + 1 } : {}),
      error: { ...(code ? { type: code } : {}), message: attribute('ERROR_MESSAGE') ?? 'not delivered' },
      payload: body,
    };
  }
  const record = body as InvocationRecord;
  if (record && typeof record === 'object' && record.requestContext) {
    const { functionArn, approximateInvokeCount, condition } = record.requestContext;
    const failure = record.responsePayload;
    return {
      ...base,
      failedAt: record.timestamp ?? new Date(sentAt).toISOString(),
      stage: 'function',
      // The record names the version that ran ($LATEST); the function is what a redrive invokes.
      ...(functionArn ? { target: functionArn.replace(/:\$LATEST$/, '') } : {}),
      ...(approximateInvokeCount ? { attempts: approximateInvokeCount } : {}),
      error: {
        ...(failure?.errorType ? { type: failure.errorType } : {}),
        message: failure?.errorMessage ?? condition ?? 'failed',
      },
      payload: record.requestPayload,
    };
  }
  if (source)
    return {
      ...base,
      failedAt: new Date(sentAt).toISOString(),
      stage: 'function',
      target: source,
      error: {
        message: `the function failed it in every batch it came in, until ${queueName(source)} gave it up`,
      },
      payload: body,
    };
  return {
    ...base,
    failedAt: new Date(sentAt).toISOString(),
    stage: 'delivery',
    error: { message: 'A message in a dead-letter queue that neither EventBridge, Lambda nor SQS wrote' },
    payload: body,
  };
}

/**
 * The stack's dead-letter queues (SQS), by name: DEAD_LETTER_QUEUES maps each to its URL, and
 * DEAD_LETTER_SOURCES a batched consumer's to the URL of the queue it reads.
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: Record<string, string>,
    private readonly sources: Record<string, string> = {},
  ) {}

  names(): readonly string[] {
    return Object.keys(this.urls);
  }

  private url(queue: string): string {
    const url = this.urls[queue];
    if (!url) throw new Error(`Unknown dead-letter queue ${queue}`);
    return url;
  }

  private async receive(queue: string, max: number, visibilitySeconds: number) {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url(queue),
        MaxNumberOfMessages: max,
        VisibilityTimeout: visibilitySeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    return Messages;
  }

  async peek(queue: string, limit: number) {
    const [attributes, messages] = await Promise.all([
      this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.url(queue),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      ),
      // Visibility 0: the look leaves every message where it was, for ops and for a redrive.
      this.receive(queue, limit, 0),
    ]);
    const count = (name: string) => Number(attributes.Attributes?.[name as never] ?? 0);
    return {
      approximateCount: count('ApproximateNumberOfMessages') + count('ApproximateNumberOfMessagesNotVisible'),
      letters: messages.map((m) => deadLetterOf(queue, m, this.sources[queue])),
    };
  }

  async lease(queue: string, max: number, seconds: number): Promise<LeasedDeadLetter[]> {
    const messages = await this.receive(queue, max, seconds);
    return messages.map((m) => ({
      ...deadLetterOf(queue, m, this.sources[queue]),
      receipt: m.ReceiptHandle ?? '',
    }));
  }

  async sendToSource(queue: string, payload: unknown): Promise<boolean> {
    const source = this.sources[queue];
    if (!source) return false;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    );
    return true;
  }

  async remove(queue: string, receipt: string): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url(queue), ReceiptHandle: receipt }));
  }

  async putBack(queue: string, receipt: string): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.url(queue),
        ReceiptHandle: receipt,
        VisibilityTimeout: 0,
      }),
    );
  }
}
