import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { OrderWorkflow } from '../../application/ports';
import type { Order } from '../../domain/order';
import { OrderEventType, orderEvent } from '../../domain/order-events';

/** What the order state machine receives: the order id and the OrderPlaced event detail it publishes. */
export interface OrderWorkflowInput {
  orderId: string;
  placedEvent: ReturnType<typeof orderEvent>['detail'];
}

/** One Step Functions execution per order, named after the order, so a second start is a no-op. */
export class StepFunctionsOrderWorkflow implements OrderWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(order: Order): Promise<void> {
    const input: OrderWorkflowInput = {
      orderId: order.id,
      placedEvent: orderEvent(order, OrderEventType.PLACED).detail,
    };
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: order.id,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Already started for this order (and possibly finished): exactly what we wanted.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw error;
    }
  }
}
