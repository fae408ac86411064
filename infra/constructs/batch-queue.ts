import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface BatchQueueProps {
  /** The function that reads the queue in batches. */
  consumer: lambda.Function;
  /** Where a message goes once its batch failed it `maxReceiveCount` times. */
  deadLetters: sqs.IQueue;
  /** A consumer someone waits on (a webhook subscriber) takes smaller batches, at once. */
  batching?: { size: number; window: Duration };
}

/** Up to this many events a batch; Lambda hands them over when it holds them or the window ends. */
export const PROJECTION_BATCHING = { size: 100, window: Duration.seconds(2) };
/** A message failed this often (its batch retried each time) goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * The queue between EventBridge and a function that reads its events in batches (a projection,
 * the webhook senders): one invocation, and one write per item a batch touches, for a batch of
 * events, where a rule target on the function costs both per event. The function answers with the messages it
 * failed (ReportBatchItemFailures): only those come back, and after MAX_RECEIVE_COUNT tries they go
 * to the consumer's dead-letter queue, as EventBridge's undeliverable events do.
 */
export class BatchQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: BatchQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice: six times the function's timeout, so a batch still running is not handed out again.
      visibilityTimeout: Duration.seconds(6 * (props.consumer.timeout ?? Duration.seconds(3)).toSeconds()),
      deadLetterQueue: { queue: props.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    // The mapping by hand rather than SqsEventSource, whose grant adds sqs:ChangeMessageVisibility and
    // sqs:GetQueueUrl: Lambda's poller needs only these three (AWSLambdaSQSQueueExecutionRole).
    new lambda.EventSourceMapping(this, 'Mapping', {
      target: props.consumer,
      eventSourceArn: this.queue.queueArn,
      batchSize: (props.batching ?? PROJECTION_BATCHING).size,
      maxBatchingWindow: (props.batching ?? PROJECTION_BATCHING).window,
      reportBatchItemFailures: true,
    });
    props.consumer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
