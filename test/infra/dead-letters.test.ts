import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_NAME } from '../../infra/app';
import { statementsOfRole } from '../support/iam';

type Resource = { Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;

let template: Template;
let resources: Resources;

beforeAll(() => {
  const app = buildApp({ bundling: false, context: { alarmEmail: 'oncall@example.com' } });
  template = Template.fromStack(app.node.findChild(STACK_NAME) as never);
  resources = template.toJSON().Resources as Resources;
});

const ofType = (type: string) =>
  Object.entries(resources).filter(([, r]) => (r as { Type?: string }).Type === type) as Array<
    [string, Resource]
  >;
const refOf = (value: unknown) => (value as { Ref?: string }).Ref;
const attOf = (value: unknown) => (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];

interface RuleTarget {
  Arn: unknown;
  RetryPolicy?: { MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn: unknown };
}

/** Every EventBridge rule's targets, and every EventBridge Scheduler schedule's target. */
const ruleTargets = () => [
  ...ofType('AWS::Events::Rule').flatMap(([rule, r]) =>
    (r.Properties.Targets as RuleTarget[]).map((target) => ({ rule, target })),
  ),
  ...ofType('AWS::Scheduler::Schedule').map(([rule, r]) => ({
    rule,
    target: r.Properties.Target as RuleTarget,
  })),
];
/** The queues batched consumers read (an event source mapping's source): not dead-letter queues. */
const batchQueues = () =>
  new Set(ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => attOf(m.Properties.EventSourceArn)?.[0]));
const deadLetterQueues = () => ofType('AWS::SQS::Queue').filter(([id]) => !batchQueues().has(id));
const targetsFunction = (target: RuleTarget) => !batchQueues().has(attOf(target.Arn)?.[0]);

/** A schedule's dead-letter queue is written by the schedule's role, not through the queue's policy. */
const scheduleQueues = () =>
  new Map(
    ofType('AWS::Scheduler::Schedule').map(([, r]) => {
      const target = r.Properties.Target as RuleTarget & { RoleArn: unknown };
      return [attOf(target.DeadLetterConfig?.Arn)?.[0] ?? '', attOf(target.RoleArn)?.[0] ?? ''];
    }),
  );

describe('dead letters on AWS', () => {
  it('gives every EventBridge rule and Scheduler schedule target a retry policy and an SQS dead-letter queue', () => {
    const targets = ruleTargets();
    expect(targets.length).toBeGreaterThanOrEqual(6);
    for (const { rule, target } of targets) {
      expect(target.RetryPolicy?.MaximumRetryAttempts, rule).toBeGreaterThan(0);
      const [queue] = attOf(target.DeadLetterConfig?.Arn) ?? [];
      expect((resources[queue ?? ''] as { Type?: string } | undefined)?.Type, rule).toBe('AWS::SQS::Queue');
    }
  });

  it("sends a rule-invoked function's failed asynchronous invocations, after 2 retries, to the same queue as its rule's delivery failures", () => {
    const configs = new Map(
      ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => [
        refOf(c.Properties.FunctionName),
        c.Properties,
      ]),
    );
    for (const { rule, target } of ruleTargets().filter(({ target }) => targetsFunction(target))) {
      const [fn] = attOf(target.Arn) ?? [];
      const config = configs.get(fn);
      expect(config, `${rule} -> ${fn}`).toBeDefined();
      expect(config?.MaximumRetryAttempts).toBe(2);
      const destination = config?.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined;
      expect(attOf(destination?.OnFailure?.Destination)).toEqual(attOf(target.DeadLetterConfig?.Arn));
    }
  });

  it("sends a batched consumer's messages, failed in 5 batches, to the same queue as its rule's delivery failures", () => {
    const queues = Object.fromEntries(ofType('AWS::SQS::Queue'));
    const batched = ruleTargets().filter(({ target }) => !targetsFunction(target));
    expect(batched.map(({ rule }) => rule).sort()).toEqual([
      expect.stringMatching(/^KpiProjection/),
      expect.stringMatching(/^OrderEventsToActivity/),
      expect.stringMatching(/^OutboundWebhooks/),
    ]);
    for (const { rule, target } of batched) {
      const [queue] = attOf(target.Arn) ?? [];
      const redrive = queues[queue ?? '']?.Properties.RedrivePolicy as
        | { deadLetterTargetArn: unknown; maxReceiveCount: number }
        | undefined;
      expect(redrive?.maxReceiveCount, rule).toBe(5);
      expect(attOf(redrive?.deadLetterTargetArn), rule).toEqual(attOf(target.DeadLetterConfig?.Arn));
    }
  });

  it('encrypts each dead-letter queue, refuses plain HTTP to it, keeps letters 14 days, and lets only its rules (or schedule) and function write to it', () => {
    const queues = deadLetterQueues();
    // One per function fed by events (the sweeper's schedule included), batched consumers too.
    expect(queues.length).toBe(ofType('AWS::Lambda::EventInvokeConfig').length + batchQueues().size);
    expect(queues.length).toBeGreaterThanOrEqual(7);
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      const statements = ofType('AWS::SQS::QueuePolicy')
        .filter(([, p]) => (p.Properties.Queues as unknown[]).some((q) => refOf(q) === id))
        .flatMap(
          ([, p]) => (p.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
        );
      expect(
        statements.some(
          (s) =>
            s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
        ),
        id,
      ).toBe(true);
      const allowed = statements.filter((s) => s.Effect === 'Allow');
      const scheduleRole = scheduleQueues().get(id);
      if (scheduleRole) {
        const sends = statementsOfRole(template, scheduleRole).filter((s) => s.Action === 'sqs:SendMessage');
        expect(
          sends.map((s) => attOf(s.Resource)?.[0]),
          id,
        ).toEqual([id]);
      } else expect(allowed.length, id).toBeGreaterThan(0);
      for (const s of allowed) {
        expect(s.Principal, id).toEqual({ Service: 'events.amazonaws.com' });
        expect(s.Condition, id).toHaveProperty(['ArnEquals', 'aws:SourceArn']);
      }
    }
  });

  it('alarms the minute a dead-letter queue holds a letter, to the ops topic (subscribed from context alarmEmail)', () => {
    const queueIds = new Set(deadLetterQueues().map(([id]) => id));
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) =>
      (a.Properties.Dimensions as Array<{ Name: string; Value: unknown }>).some(
        (d) => d.Name === 'QueueName' && queueIds.has(attOf(d.Value)?.[0] ?? ''),
      ),
    );
    expect(alarms.length).toBe(queueIds.size);
    const [topic] = ofType('AWS::SNS::Topic').map(([id]) => id);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties, id).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect((alarm.Properties.AlarmActions as unknown[]).map(refOf)).toEqual([topic]);
      expect(String(alarm.Properties.AlarmDescription)).toMatch(/\/dead-letters/);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topic },
    });
  });

  it("lets the redrive invoke only the functions fed by events and send only to batched consumers' queues, and the listing only peek", () => {
    const fnIds = new Set(
      ruleTargets()
        .filter(({ target }) => targetsFunction(target))
        .map(({ target }) => attOf(target.Arn)?.[0]),
    );
    const statementsOf = (name: string) => {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`${name}Function`)) ?? [];
      const role = attOf(fn?.Properties.Role)?.[0];
      return statementsOfRole(template, String(role));
    };
    const invoke = statementsOf('RedriveDeadLetters').find((s) => s.Action === 'lambda:InvokeFunction');
    expect(new Set([invoke?.Resource].flat().map((r) => attOf(r)?.[0]))).toEqual(fnIds);
    const send = statementsOf('RedriveDeadLetters').find((s) => s.Action === 'sqs:SendMessage');
    expect(new Set([send?.Resource].flat().map((r) => attOf(r)?.[0]))).toEqual(batchQueues());
    const listing = statementsOf('ListDeadLetters').flatMap((s) => [s.Action].flat());
    expect(listing.filter((a) => String(a).startsWith('sqs:')).sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
  });
});
