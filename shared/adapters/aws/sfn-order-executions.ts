import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  type HistoryEvent as SfnHistoryEvent,
} from '@aws-sdk/client-sfn';
import type { OrderExecution, OrderExecutions, StoppedExecution } from '../../application/ports';
import { InvalidStateError, NotFoundError } from '../../domain/errors';
import type { ExecutionStatus, GraphAslDefinition, HistoryEvent } from '../../domain/execution-graph';

/** Pages of 1,000 events: an order's history is a few dozen; a pathological one is cut, not read whole. */
const MAX_HISTORY_PAGES = 5;

/** The order's execution is named after the order (StepFunctionsOrderWorkflow), so its ARN is derived, not stored. */
export function orderExecutionArn(stateMachineArn: string, orderId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
}

export class StepFunctionsOrderExecutions implements OrderExecutions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async ofOrder(orderId: string): Promise<OrderExecution | undefined> {
    const executionArn = orderExecutionArn(this.stateMachineArn, orderId);
    let execution: Awaited<ReturnType<typeof this.describe>>;
    try {
      execution = await this.describe(executionArn);
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist || (error as Error).name === 'ExecutionDoesNotExist')
        return undefined;
      throw error;
    }
    // The definition the execution runs, not the state machine's latest (an update since would mislead).
    const [machine, history] = await Promise.all([
      this.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn })),
      this.history(executionArn),
    ]);
    return {
      executionArn,
      status: execution.status as ExecutionStatus,
      startDate: new Date(execution.startDate ?? 0).toISOString(),
      ...(execution.stopDate ? { stopDate: new Date(execution.stopDate).toISOString() } : {}),
      definition: JSON.parse(machine.definition ?? '{"StartAt":"","States":{}}') as GraphAslDefinition,
      ...history,
    };
  }

  async stopped(limit: number): Promise<StoppedExecution[]> {
    const statuses = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
    const listed = (
      await Promise.all(
        statuses.map((statusFilter) =>
          this.sfn.send(
            new ListExecutionsCommand({
              stateMachineArn: this.stateMachineArn,
              statusFilter,
              maxResults: limit,
            }),
          ),
        ),
      )
    )
      .flatMap((page) => page.executions ?? [])
      .sort((a, b) => new Date(b.stopDate ?? 0).getTime() - new Date(a.stopDate ?? 0).getTime())
      .slice(0, limit);
    // The error and cause are only in each execution's description.
    return Promise.all(
      listed.map(async (listedOne) => {
        const described = await this.describe(listedOne.executionArn ?? '');
        return {
          orderId: listedOne.name ?? '',
          executionArn: listedOne.executionArn ?? '',
          status: listedOne.status as StoppedExecution['status'],
          startDate: new Date(listedOne.startDate ?? 0).toISOString(),
          ...(listedOne.stopDate ? { stopDate: new Date(listedOne.stopDate).toISOString() } : {}),
          ...(described.error ? { error: described.error } : {}),
          ...(described.cause ? { cause: described.cause } : {}),
        };
      }),
    );
  }

  async redrive(orderId: string): Promise<void> {
    try {
      await this.sfn.send(
        new RedriveExecutionCommand({ executionArn: orderExecutionArn(this.stateMachineArn, orderId) }),
      );
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ExecutionDoesNotExist')
        throw new NotFoundError(`The workflow of order ${orderId} has not started`);
      if (name === 'ExecutionNotRedrivable')
        throw new InvalidStateError(
          `The workflow of order ${orderId} cannot be redriven: ${(error as Error).message}`,
        );
      throw error;
    }
  }

  private describe(executionArn: string) {
    return this.sfn.send(new DescribeExecutionCommand({ executionArn }));
  }

  private async history(executionArn: string): Promise<{ events: HistoryEvent[]; truncated: boolean }> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const answer = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
      );
      events.push(...(answer.events ?? []).map(toHistoryEvent));
      nextToken = answer.nextToken;
      if (!nextToken) return { events, truncated: false };
    }
    return { events, truncated: true };
  }
}

/** The SDK's event, with the dates as ISO strings and the details kept for ops to read. */
function toHistoryEvent(event: SfnHistoryEvent): HistoryEvent {
  const { timestamp, id, type, ...details } = event;
  return {
    ...details,
    id: id ?? 0,
    type: type ?? 'Unknown',
    timestamp: new Date(timestamp ?? 0).toISOString(),
  } as HistoryEvent;
}
