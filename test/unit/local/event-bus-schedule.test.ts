import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalEventBus, rateMs } from '../../../infra/local/event-bus';
import { LocalTemplate } from '../../../infra/local/template';

const template = new LocalTemplate(
  {
    Resources: {
      Sweep: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'rate(5 minutes)',
          Targets: [{ Id: 'T', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:Sweeper' }],
        },
      },
    },
  },
  '/tmp',
);

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduled rules in the local event bus', () => {
  it('reads rate(...) expressions in minutes, hours and days, and nothing else', () => {
    expect(rateMs('rate(1 minute)')).toBe(60_000);
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(2 hours)')).toBe(7_200_000);
    expect(rateMs('rate(1 day)')).toBe(86_400_000);
    expect(rateMs('cron(0 3 * * ? *)')).toBeUndefined();
  });

  it("fires a scheduled rule's targets with EventBridge's Scheduled Event every period, and no more once stopped", async () => {
    vi.useFakeTimers();
    const delivered: Array<{ arn: string; input: Record<string, unknown> }> = [];
    const bus = LocalEventBus.fromTemplate(
      template,
      async (arn, input) => {
        delivered.push({ arn, input: input as Record<string, unknown> });
      },
      async () => {},
    );
    bus.startSchedules();
    await vi.advanceTimersByTimeAsync(299_000);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(601_000);
    expect(delivered).toHaveLength(3);
    expect(delivered[0]).toMatchObject({
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:Sweeper',
      input: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
    });
    bus.stop();
    await vi.advanceTimersByTimeAsync(900_000);
    expect(delivered).toHaveLength(3);
  });

  it("fires an EventBridge Scheduler schedule's target with its Input every period, retrying it and dead-lettering what never went through", async () => {
    vi.useFakeTimers();
    const schedules = new LocalTemplate(
      {
        Resources: {
          SweepSchedule: {
            Type: 'AWS::Scheduler::Schedule',
            Properties: {
              ScheduleExpression: 'rate(1 minute)',
              FlexibleTimeWindow: { Mode: 'OFF' },
              Target: {
                Arn: 'arn:aws:lambda:us-east-1:000000000000:function:Sweeper',
                RoleArn: 'arn:aws:iam::000000000000:role/r',
                Input: '{"sweep":true}',
                RetryPolicy: { MaximumRetryAttempts: 2 },
                DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:SweeperDeadLetters' },
              },
            },
          },
        },
      },
      '/tmp',
    );
    expect(LocalEventBus.unsupported(schedules)).toEqual([]);
    const inputs: unknown[] = [];
    const dead: string[] = [];
    let fail = false;
    const bus = LocalEventBus.fromTemplate(
      schedules,
      async (_arn, input) => {
        inputs.push(input);
        if (fail) throw new Error('down');
      },
      async (queueArn) => {
        dead.push(queueArn);
      },
    );
    bus.startSchedules();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(inputs).toEqual([{ sweep: true }]);
    fail = true;
    bus.runScheduled('Sweep');
    await vi.advanceTimersByTimeAsync(1_000);
    // The first try and its 2 retries, then the dead-letter queue.
    expect(inputs).toHaveLength(4);
    expect(dead).toEqual(['arn:aws:sqs:us-east-1:000000000000:SweeperDeadLetters']);
    bus.stop();
  });
});
