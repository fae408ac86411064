import type { Message } from '@aws-sdk/client-sqs';
import type { LocalSqs } from './sqs';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalTemplate, queueArn } from './template';

/** One AWS::Lambda::EventSourceMapping from an SQS queue. */
interface QueueMapping {
  id: string;
  queue: string;
  functionName: string;
  batchSize: number;
  windowMs: number;
  /** FunctionResponseTypes holds ReportBatchItemFailures: the function names the messages it failed. */
  reportsItemFailures: boolean;
  /** Batches in flight at once: ScalingConfig.MaximumConcurrency, or LOCAL_CONCURRENCY. */
  concurrency: number;
}

/** Runs a function synchronously with an event (the local cloud's background lane). */
export type MappingInvoker = (functionName: string, event: unknown) => Promise<unknown>;

/** SQS receives at most 10 messages per call; the poller calls again to fill a bigger batch. */
const RECEIVE_MAX = 10;
/** How often an idle poller looks at its queue (in memory, so looking costs nothing but a timer). */
const POLL_MS = 20;
/** Lambda's default batch size for SQS. */
const DEFAULT_BATCH_SIZE = 10;
/**
 * Batches of one mapping in flight at once without a ScalingConfig. Lambda scales its pollers far
 * beyond this; here the background lane bounds the work anyway, and a few are enough that one slow
 * batch (a webhook subscriber timing out) does not hold up the rest of its queue.
 */
const LOCAL_CONCURRENCY = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const queueName = (arn: unknown) =>
  String(arn ?? '')
    .split(':')
    .pop() ?? '';

/** The SQS event record Lambda hands a function for one message. */
function record(queue: string, message: Message) {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount,
      SentTimestamp: attributes.SentTimestamp,
      SenderId: LOCAL_ACCOUNT,
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          dataType: value.DataType,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn(queue),
    awsRegion: LOCAL_REGION,
  };
}

/**
 * The ids a function's batch response says failed (`{ batchItemFailures: [{ itemIdentifier }] }`);
 * every id when the response names a message that was not in the batch, as Lambda then fails the
 * whole batch.
 */
function failedIds(response: unknown, batch: Message[]): Set<string> {
  const ids = new Set(batch.map((m) => m.MessageId ?? ''));
  const failures = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return new Set();
  const named = failures.map((f) => String((f as { itemIdentifier?: unknown })?.itemIdentifier ?? ''));
  return named.every((id) => ids.has(id)) ? new Set(named) : ids;
}

/**
 * Lambda's event source mappings from SQS queues: a poller per mapping gathers messages into a
 * batch until it holds BatchSize or MaximumBatchingWindowInSeconds has passed since its first,
 * invokes the function with them, and deletes what succeeded. What failed (the whole batch when
 * the function threw; the messages it named with ReportBatchItemFailures) is received again later,
 * and the queue's redrive policy moves a message received too often to its dead-letter queue.
 * SQS would show a failed message again when its visibility timeout ends; here after a second, so
 * a local run shows the outcome in seconds. A few batches of a mapping run at once (LOCAL_CONCURRENCY).
 */
export class LocalEventSourceMappings {
  private running = 0;
  private billed = 0;
  private hurry = 0;
  private stopped = false;
  private readonly pollers: Array<Promise<void>> = [];

  constructor(
    private readonly mappings: QueueMapping[],
    private readonly sqs: LocalSqs,
    private readonly invoke: MappingInvoker,
  ) {}

  static fromTemplate(
    template: LocalTemplate,
    sqs: LocalSqs,
    invoke: MappingInvoker,
  ): LocalEventSourceMappings {
    const mappings = template
      .resourcesOfType('AWS::Lambda::EventSourceMapping')
      .filter(({ properties }) => properties.Enabled !== false)
      .map(({ logicalId, properties }) => ({
        id: logicalId,
        queue: queueName(properties.EventSourceArn),
        functionName: String(properties.FunctionName),
        batchSize: Number(properties.BatchSize ?? DEFAULT_BATCH_SIZE),
        windowMs: Number(properties.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        reportsItemFailures: ((properties.FunctionResponseTypes ?? []) as string[]).includes(
          'ReportBatchItemFailures',
        ),
        concurrency: Number(
          (properties.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ??
            LOCAL_CONCURRENCY,
        ),
      }));
    return new LocalEventSourceMappings(mappings, sqs, invoke);
  }

  /** Mappings the local cloud cannot run: sources other than SQS, and event filtering. */
  static unsupported(template: LocalTemplate): string[] {
    return template
      .resourcesOfType('AWS::Lambda::EventSourceMapping')
      .flatMap(({ logicalId, properties }) => [
        ...(String(properties.EventSourceArn ?? '').startsWith('arn:aws:sqs:')
          ? []
          : [`${logicalId}: only SQS event sources are emulated`]),
        ...(properties.FilterCriteria ? [`${logicalId}: FilterCriteria is not emulated`] : []),
      ]);
  }

  /**
   * The SQS requests Lambda's pollers would have been billed for the batches so far: a
   * ReceiveMessage and a DeleteMessageBatch per 10 messages. Their long polls of an empty queue
   * are a fixed cost per queue, not per event, and are left out.
   */
  billedRequests(): number {
    return this.billed;
  }

  start(): void {
    for (const mapping of this.mappings) this.pollers.push(this.poll(mapping));
  }

  /** A batch runs, or a mapped queue holds a message (one waiting for its retry included). */
  busy(): boolean {
    return this.running > 0 || this.mappings.some((m) => this.sqs.inMemory.size(m.queue) > 0);
  }

  /** Until every mapped queue is empty: batches go at once instead of waiting out their window. */
  async idle(): Promise<void> {
    this.hurry++;
    try {
      while (!this.stopped && this.busy()) await sleep(POLL_MS / 2);
    } finally {
      this.hurry--;
    }
  }

  /** No new batch starts; resolves once the batches under way ended (their functions may be stopping). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.pollers);
  }

  /** Gathers batches and runs up to the mapping's concurrency of them at once, as Lambda's pollers do. */
  private async poll(mapping: QueueMapping): Promise<void> {
    const running = new Set<Promise<void>>();
    while (!this.stopped) {
      if (running.size >= mapping.concurrency) {
        await Promise.race(running);
        continue;
      }
      const batch = await this.gather(mapping);
      if (batch.length === 0) {
        await sleep(POLL_MS);
        continue;
      }
      const run: Promise<void> = this.run(mapping, batch).finally(() => running.delete(run));
      running.add(run);
    }
    await Promise.all(running);
  }

  private async gather(mapping: QueueMapping): Promise<Message[]> {
    const batch: Message[] = [];
    let firstAt: number | undefined;
    for (;;) {
      const { Messages = [] } = await this.sqs.receiveMessage({
        QueueUrl: mapping.queue,
        MaxNumberOfMessages: Math.min(RECEIVE_MAX, mapping.batchSize - batch.length),
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      });
      batch.push(...(Messages as Message[]));
      if (batch.length === 0 || batch.length >= mapping.batchSize || this.stopped) return batch;
      firstAt ??= Date.now();
      if (this.hurry > 0 || Date.now() - firstAt >= mapping.windowMs) return batch;
      if (Messages.length === 0) await sleep(POLL_MS);
    }
  }

  private async run(mapping: QueueMapping, batch: Message[]): Promise<void> {
    this.running++;
    try {
      let failed: Set<string>;
      try {
        const response = await this.invoke(mapping.functionName, {
          Records: batch.map((m) => record(mapping.queue, m)),
        });
        failed = mapping.reportsItemFailures ? failedIds(response, batch) : new Set();
      } catch {
        failed = new Set(batch.map((m) => m.MessageId ?? ''));
      }
      const tens = (n: number) => Math.ceil(n / RECEIVE_MAX);
      this.billed += tens(batch.length) + tens(batch.length - failed.size);
      for (const message of batch) {
        if (failed.has(message.MessageId ?? ''))
          await this.sqs
            .changeMessageVisibility({
              QueueUrl: mapping.queue,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 1,
            })
            // The message was received again meanwhile (its visibility ran out): that receiver settles it.
            .catch(() => undefined);
        else await this.sqs.deleteMessage({ QueueUrl: mapping.queue, ReceiptHandle: message.ReceiptHandle });
      }
    } finally {
      this.running--;
    }
  }
}
