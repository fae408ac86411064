/**
 * The business metrics the functions emit (Powertools Metrics, as CloudWatch embedded metric
 * format in their logs) and the dashboard and alarms read: one list, so the names cannot drift.
 */
export const METRICS_NAMESPACE = 'OMS';
export const SERVICE_NAME = 'oms';

export const BUSINESS_METRICS = {
  ordersPlaced: 'OrdersPlaced',
  ordersDelivered: 'OrdersDelivered',
  ordersCancelled: 'OrdersCancelled',
  ordersBackordered: 'OrdersBackordered',
  pickSlaBreaches: 'PickSlaBreaches',
  /** Milliseconds from placement to a stage (confirmed, routed, shipped, delivered). */
  timeTo: (stage: string) => `TimeTo${stage[0]?.toUpperCase()}${stage.slice(1)}`,
} as const;
