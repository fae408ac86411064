import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pLimit from 'p-limit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalEventBus } from '../../../infra/local/event-bus';
import { LocalLambda } from '../../../infra/local/lambda';
import { LocalAsyncInvoker } from '../../../infra/local/lambda-async';
import { LocalTemplate } from '../../../infra/local/template';

/** Where EventBridge and Lambda put what they gave up on, in the local cloud. */

const dir = mkdtempSync(path.join(tmpdir(), 'oms-dlq-'));
const file = path.join(dir, 'index.mjs');
// Fails the first `failures` calls of each event id, then answers.
writeFileSync(
  file,
  `const calls = new Map();
export const handler = async (event) => {
  const n = (calls.get(event.id) ?? 0) + 1;
  calls.set(event.id, n);
  if (n <= event.failures) throw Object.assign(new Error('not yet (' + n + ')'), { name: 'Flaky' });
  return { calls: n };
};`,
);
const lambda = (logicalId: string) =>
  new LocalLambda(
    {
      logicalId,
      functionName: logicalId,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${logicalId}`,
      file,
      exportName: 'handler',
      environment: {},
      timeoutSeconds: 5,
      memorySize: 128,
      logGroupName: `/aws/lambda/${logicalId}`,
    },
    new Writable({ write: (_c, _e, done) => done() }),
  );
const withDestination = lambda('WithDestination');
const withoutConfig = lambda('WithoutConfig');

afterAll(async () => {
  await Promise.all([withDestination.stop(), withoutConfig.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const template = new LocalTemplate(
  {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus' },
      Dlq: { Type: 'AWS::SQS::Queue' },
      WithDestination: { Type: 'AWS::Lambda::Function' },
      WithoutConfig: { Type: 'AWS::Lambda::Function' },
      Config: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'WithDestination' },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 1,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } },
        },
      },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { source: ['test'] },
          Targets: [
            {
              Id: 'Target0',
              Arn: { 'Fn::GetAtt': ['WithDestination', 'Arn'] },
              RetryPolicy: { MaximumRetryAttempts: 2 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
            },
          ],
        },
      },
    },
  },
  dir,
);

type Sent = { queue: string; body: unknown; attributes?: Record<string, string> };
const recorder = () => {
  const sent: Sent[] = [];
  return {
    sent,
    send: async (queue: string, body: string, attributes?: Record<string, string>) => {
      sent.push({ queue, body: JSON.parse(body), ...(attributes ? { attributes } : {}) });
    },
  };
};

describe("Lambda's asynchronous invocation, locally", () => {
  it("retries a failing function as its EventInvokeConfig says, then records the invocation to its on-failure queue in Lambda's format", async () => {
    const queue = recorder();
    const invoker = LocalAsyncInvoker.fromTemplate(template, queue.send, pLimit(4));
    invoker.invoke(withDestination, { id: 'always', failures: 99 });
    await invoker.idle();
    expect(queue.sent).toEqual([
      {
        queue: 'arn:aws:sqs:us-east-1:000000000000:Dlq',
        body: {
          version: '1.0',
          timestamp: expect.any(String),
          requestContext: {
            requestId: expect.any(String),
            functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:WithDestination:$LATEST',
            condition: 'RetriesExhausted',
            approximateInvokeCount: 2,
          },
          requestPayload: { id: 'always', failures: 99 },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: 'Flaky', errorMessage: 'not yet (2)' },
        },
      },
    ]);
  });

  it('waits for a place in the background lane, and at a stop records each invocation still queued there to its on-failure queue without running it, none lost', async () => {
    const queue = recorder();
    const lane = pLimit(1);
    let free: () => void = () => {};
    const taken = lane(() => new Promise<void>((resolve) => (free = resolve)));
    const invoker = LocalAsyncInvoker.fromTemplate(template, queue.send, lane);
    for (const id of ['q1', 'q2', 'q3']) invoker.invoke(withDestination, { id, failures: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lane.pendingCount).toBe(3);
    invoker.stop();
    free();
    await taken;
    await invoker.idle();
    expect(queue.sent.map((s) => s.body)).toEqual(
      ['q1', 'q2', 'q3'].map((id) =>
        expect.objectContaining({
          requestContext: expect.objectContaining({
            condition: 'LocalCloudStopped',
            approximateInvokeCount: 1,
          }),
          requestPayload: { id, failures: 0 },
          responsePayload: expect.objectContaining({ errorType: 'Lambda.ServiceException' }),
        }),
      ),
    );
  });

  it('records nothing when a retry succeeds, and drops (with a log line) what fails on a function without a destination', async () => {
    const queue = recorder();
    const invoker = LocalAsyncInvoker.fromTemplate(template, queue.send, pLimit(4));
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      invoker.invoke(withDestination, { id: 'once', failures: 1 });
      invoker.invoke(withoutConfig, { id: 'thrice', failures: 3 });
      await invoker.idle();
      expect(queue.sent).toEqual([]);
      // Lambda's default: two retries, three attempts in all.
      expect(log).toHaveBeenCalledWith(
        expect.stringMatching(/WithoutConfig failed 3 times and was dropped/),
        'not yet (3)',
      );
    } finally {
      log.mockRestore();
    }
  });
});

describe("EventBridge's target dead-letter queue, locally", () => {
  it("sends an event no retry could deliver to the target's dead-letter queue, with EventBridge's message attributes", async () => {
    const queue = recorder();
    const bus = LocalEventBus.fromTemplate(
      template,
      async () => {
        throw Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
      },
      queue.send,
    );
    bus.putEvents([{ EventBusName: 'Bus', Source: 'test', DetailType: 'Ping', Detail: '{"n":1}' }]);
    await bus.idle();
    expect(queue.sent).toEqual([
      {
        queue: 'arn:aws:sqs:us-east-1:000000000000:Dlq',
        body: expect.objectContaining({ source: 'test', 'detail-type': 'Ping', detail: { n: 1 } }),
        attributes: {
          RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/Bus/Rule',
          TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:WithDestination',
          ERROR_CODE: 'ResourceNotFoundException',
          ERROR_MESSAGE: 'Function not found',
          EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttemptsExhausted',
          RETRY_ATTEMPTS: '2',
        },
      },
    ]);
  });

  it('refuses at start what it cannot honour: a dead-letter target that is not a queue, a destination that is not SQS', () => {
    const odd = new LocalTemplate(
      {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function' },
          Topic: { Type: 'AWS::SNS::Topic' },
          Config: {
            Type: 'AWS::Lambda::EventInvokeConfig',
            Properties: {
              FunctionName: { Ref: 'Fn' },
              DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:Topic' } },
            },
          },
          Rule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: ['x'] },
              Targets: [
                {
                  Id: 'T',
                  Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
                  DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:Topic' },
                },
              ],
            },
          },
        },
      },
      dir,
    );
    expect(LocalEventBus.unsupported(odd)).toEqual([
      'Rule: dead-letter target arn:aws:sns:us-east-1:000000000000:Topic is not an SQS queue',
    ]);
    expect(LocalAsyncInvoker.unsupported(odd)).toEqual([
      'Config: only SQS on-failure destinations are emulated',
    ]);
  });
});
