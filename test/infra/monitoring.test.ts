import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, MONITORING_STACK_NAME, STACK_NAME } from '../../infra/app';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../shared/contracts/business-metrics';

let template: Template;
let oms: Template;

beforeAll(() => {
  const app = buildApp({ bundling: false });
  template = Template.fromStack(app.node.findChild(MONITORING_STACK_NAME) as never);
  oms = Template.fromStack(app.node.findChild(STACK_NAME) as never);
});

type Alarm = { Properties: Record<string, unknown> };
const alarms = () =>
  Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>);
const alarmNamed = (prefix: string) => {
  const found = alarms().filter(([id]) => id.startsWith(`Monitoring${prefix}`));
  expect(found, prefix).toHaveLength(1);
  return (found[0] as [string, Alarm])[1].Properties;
};
/** The alarm topic of the Oms stack, as the monitoring stack names it: through an import. */
const topic = () => {
  const id = Object.keys(oms.findResources('AWS::SNS::Topic'))[0] as string;
  return { 'Fn::ImportValue': expect.stringContaining(`ExportsOutputRef${id}`) };
};

describe('CloudWatch on AWS', () => {
  it('pages ops through the alarm topic when an execution of any workflow fails (Express preparation included)', () => {
    for (const machine of [
      'OrderWorkflow',
      'OrderPreparation',
      'ReturnWorkflow',
      'WebhookWorkflow',
      'BulkJobWorkflow',
    ]) {
      const alarm = alarmNamed(`${machine}Failed`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic()],
      });
      expect(JSON.stringify(alarm.Dimensions)).toContain(`${machine}StateMachine`);
    }
  });

  it('alarms on a missed pick SLA from the business metric the task emits, on a projection 5 minutes behind its events, on any throttling (Lambda, the table) and on API 5xx', () => {
    expect(alarmNamed('PickSlaBreached')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: BUSINESS_METRICS.pickSlaBreaches,
      Dimensions: [{ Name: 'service', Value: 'oms' }],
      Statistic: 'Sum',
    });
    expect(alarmNamed('LambdaThrottled')).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    const table = alarmNamed('TableThrottled');
    expect(JSON.stringify(table.Metrics)).toContain('ReadThrottleEvents');
    expect(JSON.stringify(table.Metrics)).toContain('WriteThrottleEvents');
    expect(alarmNamed('Api5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Threshold: 5,
    });
    for (const projection of ['ProjectKpis', 'RecordOrderActivity', 'DeliverWebhooks'])
      expect(alarmNamed(`${projection}Behind`)).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        Threshold: 300,
      });
    for (const [, alarm] of alarms()) expect(alarm.Properties.AlarmActions).toEqual([topic()]);
    // And every dead-letter queue keeps its own alarm, in the Oms stack: a letter waiting pages ops.
    const deadLetters = Object.values(
      oms.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>,
    ).filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(deadLetters.length).toBeGreaterThanOrEqual(8);
  });

  it('draws one dashboard: orders per minute, time from placement per stage, failed executions, dead letters, projection lag, pick SLA, API 4xx/5xx, throttles and the alarms', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(
      (Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as Alarm).Properties
        .DashboardBody,
    );
    for (const title of [
      'Orders per minute',
      'Time from placement (ms)',
      'Failed executions',
      'Dead letters waiting',
      'Projection lag (s)',
      'Pick SLA breaches',
      'HTTP API 4xx / 5xx',
      'Throttles',
      'Alarms',
    ])
      expect(body, title).toContain(title);
    for (const metric of [
      BUSINESS_METRICS.ordersPlaced,
      BUSINESS_METRICS.ordersDelivered,
      BUSINESS_METRICS.timeTo('confirmed'),
      BUSINESS_METRICS.timeTo('delivered'),
    ])
      expect(body, metric).toContain(metric);
    expect(body).toContain('p95');
  });

  it("keeps the Oms stack, the one the local cloud runs, under CloudFormation's 500 resources, and leaves monitoring out of it", () => {
    const count = Object.keys(oms.toJSON().Resources).length;
    expect(count).toBeLessThanOrEqual(500);
    oms.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(50);
  });
});
