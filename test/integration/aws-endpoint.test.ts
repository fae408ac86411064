import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { LambdaInvocationError, LocalLambda } from '../../infra/local/lambda';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();

describe('the local AWS endpoint, through the unchanged SDK clients', () => {
  it('answers Step Functions errors by name', async () => {
    const { sfn, stateMachineArn } = env.aws;
    const missing = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`;
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(sfn.send(new StopExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });

  it('accepts PutEvents, reporting malformed entries per entry', async () => {
    const bus = env.cloud.template.resourcesOfType('AWS::Events::EventBus')[0]?.logicalId;
    const result = await env.aws.events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: 'test', DetailType: 'Pinged', Detail: '{"ok":true}' },
          { EventBusName: bus, Source: 'test', DetailType: 'Broken', Detail: 'not json' },
          { EventBusName: 'no-such-bus', Source: 'test', DetailType: 'Lost', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[1]?.ErrorCode).toBe('MalformedDetail');
    expect(result.Entries?.[2]?.ErrorCode).toBe('ResourceNotFoundException');
  });
});

describe('local Lambda limits', () => {
  it('throttles invocations beyond the reserved concurrency the template sets', async () => {
    const { spec } = [...env.cloud.lambdas.values()][0] as LocalLambda;
    const limited = new LocalLambda({ ...spec, reservedConcurrency: 0 }, process.stdout);
    await expect(limited.invoke({})).rejects.toEqual(
      new LambdaInvocationError('TooManyRequestsException', 'Rate Exceeded.'),
    );
  });
});
