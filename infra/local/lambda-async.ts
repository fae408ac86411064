import { randomUUID } from 'node:crypto';
import type { LimitFunction } from 'p-limit';
import type { LocalLambda } from './lambda';
import type { LocalTemplate } from './template';

/** What Lambda does with an asynchronous invocation that failed, per function (AWS::Lambda::EventInvokeConfig). */
interface AsyncConfig {
  maxRetries: number;
  maxEventAgeSeconds: number;
  /** SQS queue ARN the invocation record goes to when every attempt failed. */
  onFailure?: string;
}

/** Lambda's defaults for a function without an EventInvokeConfig. */
const DEFAULT_CONFIG: AsyncConfig = { maxRetries: 2, maxEventAgeSeconds: 6 * 3600 };

const stoppedError = () =>
  Object.assign(new Error('The local cloud stopped before this invocation ran'), {
    name: 'Lambda.ServiceException',
  });

/** Sends a message to a queue by ARN (the local SQS), with string message attributes. */
export type QueueSender = (
  queueArn: string,
  body: string,
  attributes?: Record<string, string>,
) => Promise<void>;

/**
 * Lambda's asynchronous invocation (InvocationType Event, as EventBridge and `lambda:invoke`
 * with a task token call it): accepted at once, run in the background, retried on error as the
 * function's EventInvokeConfig says (two retries by default), and, when every attempt failed,
 * recorded to its on-failure destination in Lambda's invocation-record format, or dropped with a
 * log line, as Lambda drops it. Lambda waits about a minute, then two, between attempts; here
 * the waits are short (`retryDelayMs`), so a local run shows the outcome in seconds.
 */
export class LocalAsyncInvoker {
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly configs: Map<string, AsyncConfig>,
    private readonly sendToQueue: QueueSender,
    /** The local cloud's lane for background work: an attempt runs once it has a place there. */
    private readonly background: LimitFunction,
    private readonly retryDelayMs = (attempt: number) => 200 * 2 ** attempt,
  ) {}

  static fromTemplate(
    template: LocalTemplate,
    sendToQueue: QueueSender,
    background: LimitFunction,
  ): LocalAsyncInvoker {
    const configs = new Map<string, AsyncConfig>();
    for (const { properties } of template.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const destination = properties.DestinationConfig as
        | { OnFailure?: { Destination?: string } }
        | undefined;
      configs.set(String(properties.FunctionName), {
        maxRetries: Number(properties.MaximumRetryAttempts ?? DEFAULT_CONFIG.maxRetries),
        maxEventAgeSeconds: Number(properties.MaximumEventAgeInSeconds ?? DEFAULT_CONFIG.maxEventAgeSeconds),
        ...(destination?.OnFailure?.Destination ? { onFailure: destination.OnFailure.Destination } : {}),
      });
    }
    return new LocalAsyncInvoker(configs, sendToQueue, background);
  }

  /** Configurations the local cloud cannot honour: destinations other than an SQS queue on failure. */
  static unsupported(template: LocalTemplate): string[] {
    return template.resourcesOfType('AWS::Lambda::EventInvokeConfig').flatMap(({ logicalId, properties }) => {
      const destinations = (properties.DestinationConfig ?? {}) as Record<string, { Destination?: string }>;
      return [
        ...(destinations.OnSuccess ? [`${logicalId}: on-success destinations are not emulated`] : []),
        ...(destinations.OnFailure && !String(destinations.OnFailure.Destination).startsWith('arn:aws:sqs:')
          ? [`${logicalId}: only SQS on-failure destinations are emulated`]
          : []),
        ...(properties.Qualifier && properties.Qualifier !== '$LATEST'
          ? [`${logicalId}: only the $LATEST qualifier is emulated`]
          : []),
      ];
    });
  }

  /** Queues the invocation and returns, as Lambda answers 202 to an Event invocation. */
  invoke(fn: LocalLambda, payload: unknown): void {
    const run = this.run(fn, payload).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async run(fn: LocalLambda, payload: unknown): Promise<void> {
    const config = this.configs.get(fn.spec.logicalId) ?? DEFAULT_CONFIG;
    const requestId = randomUUID();
    const queuedAt = Date.now();
    let attempts = 0;
    let failure: { errorType: string; errorMessage: string } | undefined;
    let condition = 'RetriesExhausted';
    for (;;) {
      attempts++;
      try {
        // One that was still queued when the local cloud stopped does not start: it goes to its destination.
        await this.background(() => (this.stopped ? Promise.reject(stoppedError()) : fn.invoke(payload)));
        return;
      } catch (error) {
        failure = { errorType: (error as Error).name, errorMessage: (error as Error).message };
      }
      if (this.stopped) {
        condition = 'LocalCloudStopped';
        break;
      }
      if (attempts > config.maxRetries) break;
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs(attempts - 1)));
      if (this.stopped) {
        condition = 'LocalCloudStopped';
        break;
      }
      if (Date.now() - queuedAt > config.maxEventAgeSeconds * 1000) {
        condition = 'EventAgeExceeded';
        break;
      }
    }
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${fn.spec.functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: attempts,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: failure,
    };
    if (!config.onFailure) {
      console.error(
        `Async invocation of ${fn.spec.functionName} failed ${attempts} times and was dropped (no on-failure destination):`,
        failure?.errorMessage,
      );
      return;
    }
    try {
      await this.sendToQueue(config.onFailure, JSON.stringify(record));
    } catch (error) {
      // Only when the local SQS itself is gone (a stop under way): say what is lost, whole.
      console.error(
        `Could not record a failed invocation to ${config.onFailure}:`,
        (error as Error).message,
        JSON.stringify(record),
      );
    }
  }

  /**
   * No more retries: an invocation that has not succeeded by its next attempt goes to its
   * destination now (condition LocalCloudStopped, which only the local cloud writes), so a stop
   * keeps it where ops can redrive it.
   */
  stop(): void {
    this.stopped = true;
  }

  busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when every invocation queued so far has run to its end (success or its destination). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
