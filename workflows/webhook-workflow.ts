import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { WEBHOOK_RETRY } from '../shared/domain/webhooks';
import { task } from './tasks';

export interface WebhookWorkflowTasks {
  /** Sends the stream in order; fails with WebhookDeliveryFailed while its subscriber does. */
  retryWebhookStream: IFunction;
  /** After 24 h: the head delivery FAILED, the subscription DISABLED, an alert for ops. */
  giveUpWebhookStream: IFunction;
}

/** The error the stream's sender throws while the subscriber fails. */
export const WEBHOOK_DELIVERY_FAILED = 'WebhookDeliveryFailed';

const stream = {
  subscriptionId: sfn.JsonPath.stringAt('$.subscriptionId'),
  stream: sfn.JsonPath.stringAt('$.stream'),
};

/**
 * One execution per stream whose subscriber failed: the send is retried with exponential backoff
 * (30 s doubling to an hour, for 24 h: Step Functions waits between attempts at no cost), then
 * gives up. Started only on failure, so a healthy subscriber costs no state transition.
 */
export function webhookWorkflowDefinition(scope: Construct, t: WebhookWorkflowTasks): sfn.IChainable {
  const send = task(scope, 'RetryWebhookStream', t.retryWebhookStream, stream);
  send.addRetry({
    errors: [WEBHOOK_DELIVERY_FAILED],
    interval: Duration.seconds(WEBHOOK_RETRY.firstIntervalSeconds),
    backoffRate: WEBHOOK_RETRY.backoffRate,
    maxDelay: Duration.seconds(WEBHOOK_RETRY.maxIntervalSeconds),
    maxAttempts: WEBHOOK_RETRY.maxRetries,
  });
  const giveUp = task(scope, 'GiveUpWebhookStream', t.giveUpWebhookStream, stream);
  send.addCatch(giveUp, { errors: [WEBHOOK_DELIVERY_FAILED], resultPath: '$.error' });
  return send;
}
