import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInvoker } from '../../application/ports';

/** Lambda's asynchronous Invoke (InvocationType Event): queued by Lambda, retried and dead-lettered as configured. */
export class LambdaFunctionInvoker implements FunctionInvoker {
  constructor(private readonly lambda: LambdaClient) {}

  async invokeAsync(functionArn: string, payload: unknown): Promise<void> {
    await this.lambda.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  }
}
