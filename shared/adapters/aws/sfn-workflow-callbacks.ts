import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowCallbacks } from '../../application/ports';

const WAIT_OVER = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** SendTaskSuccess and SendTaskFailure; a token whose wait is over answers false instead of failing. */
export class StepFunctionsCallbacks implements WorkflowCallbacks {
  constructor(private readonly sfn: SFNClient) {}

  succeed(taskToken: string, output: unknown): Promise<boolean> {
    return this.answer(() =>
      this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.answer(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }

  private async answer(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof Error && WAIT_OVER.has(error.name)) return false;
      throw error;
    }
  }
}
