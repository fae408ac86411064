import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowCallbacks } from '../../application/ports';

const WAIT_OVER = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** SendTaskSuccess; a token whose wait is over answers false instead of failing. */
export class StepFunctionsCallbacks implements WorkflowCallbacks {
  constructor(private readonly sfn: SFNClient) {}

  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      if (error instanceof Error && WAIT_OVER.has(error.name)) return false;
      throw error;
    }
  }
}
