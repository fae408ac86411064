import { createHash } from 'node:crypto';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { BulkJobRunner, OrderWorkflow, ReturnWorkflow, WebhookRetries } from '../../application/ports';
import type { BulkJob } from '../../domain/bulk-jobs';
import type { Order } from '../../domain/order';
import { orderPlacedEvent } from '../../domain/order-events';
import type { OrderReturn } from '../../domain/returns';

/** What the order state machine receives: the order id and the OrderPlaced event detail it publishes. */
export interface OrderWorkflowInput {
  orderId: string;
  placedEvent: ReturnType<typeof orderPlacedEvent>['detail'];
}

/** Starts the execution named `name`; one already started under that name (possibly finished) is what we wanted. */
async function startOnce(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<void> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
    throw error;
  }
}

/** One Step Functions execution per order, named after the order, so a second start is a no-op. */
export class StepFunctionsOrderWorkflow implements OrderWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(order: Order): Promise<void> {
    const input: OrderWorkflowInput = {
      orderId: order.id,
      placedEvent: orderPlacedEvent(order).detail,
    };
    return startOnce(this.sfn, this.stateMachineArn, order.id, input);
  }
}

/** One execution per return, named after the return. */
export class StepFunctionsReturnWorkflow implements ReturnWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(rma: OrderReturn): Promise<void> {
    return startOnce(this.sfn, this.stateMachineArn, rma.id, { returnId: rma.id, orderId: rma.orderId });
  }
}

/**
 * One execution per failed stream delivery (named after a hash of the key: names are at most 80
 * characters), so the same failure starts its retries once.
 */
export class StepFunctionsWebhookRetries implements WebhookRetries {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(subscriptionId: string, stream: string, key: string): Promise<void> {
    const name = createHash('sha256')
      .update(`${subscriptionId}\n${stream}\n${key}`)
      .digest('hex')
      .slice(0, 64);
    return startOnce(this.sfn, this.stateMachineArn, name, { subscriptionId, stream });
  }
}

/** One execution per bulk job, named after it. */
export class StepFunctionsBulkJobRunner implements BulkJobRunner {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(job: BulkJob): Promise<void> {
    return startOnce(this.sfn, this.stateMachineArn, job.id, { jobId: job.id });
  }
}
