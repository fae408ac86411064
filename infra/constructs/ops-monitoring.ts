import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/business-metrics';

export interface OpsMonitoringProps {
  alarmTopic: ITopic;
  /** The workflows whose failed executions page ops, by the name the dashboard shows. */
  workflows: Record<string, IStateMachine>;
  deadLetterQueues: Record<string, IQueue>;
  /** The queues consumers read their events from in batches (KPIs, the activity log, webhooks), by consumer. */
  projectionQueues: Record<string, IQueue>;
  httpApi: apigw.HttpApi;
  table: ITableV2;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A business metric the functions emit with Powertools Metrics (EMF), as CloudWatch stores it. */
export function businessMetric(name: string, statistic: string, period = Duration.minutes(1)) {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
  });
}

/**
 * What ops watch on AWS: one dashboard (orders per minute, the time orders take to each stage,
 * failed executions, dead letters, projection lag, API errors, throttles) and the alarms that page
 * them through the alarm topic: a failed execution, a dead letter (DeadLetterQueue has its own), a
 * projection 5 minutes behind, a missed pick SLA, any throttling, API 5xx.
 */
export class OpsMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OpsMonitoringProps) {
    super(scope, id);
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(created);
      return created;
    };

    const failed = Object.entries(props.workflows).map(([name, machine]) => {
      const metric = machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' });
      alarm(
        `${name}Failed`,
        metric,
        `An execution of ${name} failed: open it in the console (GET /orders/{id}/execution) and redrive or hold`,
      );
      // Labelled for the dashboard only: a labelled metric makes the alarm a metric-math one.
      return metric.with({ label: `${name} failed` });
    });
    // A projection behind: its oldest event waited 5 minutes (its function failing or throttled).
    const lag = Object.entries(props.projectionQueues).map(([name, queue]) => {
      const metric = queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      });
      alarm(
        `${name}Behind`,
        metric,
        `${name} is more than 5 minutes behind the events it reads (the figures, the activity log or the webhooks lag): look at its function's errors and throttles`,
        300,
      );
      return metric.with({ label: name });
    });
    const pickSla = businessMetric(BUSINESS_METRICS.pickSlaBreaches, 'Sum', FIVE_MINUTES);
    alarm(
      'PickSlaBreached',
      pickSla,
      'A warehouse missed the pick SLA of a shipment (GET /alerts lists them)',
    );
    const lambdaThrottles = lambda.Function.metricAllThrottles({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm(
      'LambdaThrottled',
      lambdaThrottles,
      'Lambda throttled invocations in this account and region: raise the concurrency quota or reserve it',
    );
    const tableThrottles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
        writes: props.table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      label: 'DynamoDB throttle events',
      period: FIVE_MINUTES,
    });
    alarm(
      'TableThrottled',
      tableThrottles,
      'DynamoDB throttled reads or writes of the orders table (a hot key, or an on-demand table past its warm throughput)',
    );
    const serverErrors = props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm('Api5xx', serverErrors, 'The HTTP API answered 5xx: the functions behind it are failing', 5);

    const perMinute = (name: string, label: string) => businessMetric(name, 'Sum').with({ label });
    const latency = (stage: string, stat: 'p50' | 'p95') =>
      businessMetric(BUSINESS_METRICS.timeTo(stage), stat, FIVE_MINUTES).with({ label: `${stage} ${stat}` });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Orders per minute',
            left: [
              perMinute(BUSINESS_METRICS.ordersPlaced, 'placed'),
              perMinute(BUSINESS_METRICS.ordersDelivered, 'delivered'),
              perMinute(BUSINESS_METRICS.ordersCancelled, 'cancelled'),
              perMinute(BUSINESS_METRICS.ordersBackordered, 'backordered'),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Time from placement (ms)',
            left: ['confirmed', 'routed', 'shipped'].flatMap((s) => [latency(s, 'p50'), latency(s, 'p95')]),
            right: [latency('delivered', 'p50'), latency('delivered', 'p95')],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Failed executions', left: failed, width: 6 }),
          new cloudwatch.GraphWidget({
            title: 'Dead letters waiting',
            left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({
                period: FIVE_MINUTES,
                statistic: 'Maximum',
                label: name,
              }),
            ),
            width: 6,
          }),
          new cloudwatch.GraphWidget({ title: 'Projection lag (s)', left: lag, width: 6 }),
          new cloudwatch.GraphWidget({
            title: 'Pick SLA breaches',
            left: [pickSla.with({ label: 'breaches' })],
            width: 6,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'HTTP API 4xx / 5xx',
            left: [
              props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
              serverErrors.with({ label: '5xx' }),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Throttles',
            left: [lambdaThrottles.with({ label: 'Lambda' }), tableThrottles],
            width: 12,
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}
