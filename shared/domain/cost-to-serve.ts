import type { AwsPriceTable } from '../contracts/aws-prices';

/** What a number of orders used, in the units AWS bills (measured by the local cloud's meters). */
export interface MeasuredUsage {
  orders: number;
  standardTransitions: number;
  functions: Record<string, { invocations: number; billedMs: number; memorySize: number }>;
  expressRequests: number;
  expressBilledMs: number;
  readUnits: number;
  writeUnits: number;
  events: number;
  apiRequests: number;
  emails: number;
  /** Absent in a usage file measured before the projections read queues. */
  sqsRequests?: number;
}

export interface CostLine {
  item: string;
  /** Units per 1,000 orders. */
  quantity: number;
  unit: string;
  usd: number;
}

/** GB-seconds of billed milliseconds at a memory size in MB. */
const gbSeconds = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);

/** The cost of 1,000 orders, line by line, at the table's prices; functions by invocations and GB-s. */
export function costPer1000(usage: MeasuredUsage, table: AwsPriceTable) {
  const per1000 = (n: number) => (n * 1000) / usage.orders;
  const p = table.prices;
  const fns = Object.entries(usage.functions).filter(([, f]) => f.invocations > 0);
  const invocations = per1000(fns.reduce((n, [, f]) => n + f.invocations, 0));
  const lambdaGbs = per1000(fns.reduce((n, [, f]) => n + gbSeconds(f.billedMs, f.memorySize), 0));
  const expressGbs = per1000((usage.expressBilledMs / 1000) * p.expressMemoryGb);
  const line = (item: string, quantity: number, unit: string, price: number): CostLine => ({
    item,
    quantity,
    unit,
    usd: quantity * price,
  });
  const lines = [
    line(
      'Step Functions Standard',
      per1000(usage.standardTransitions),
      'state transitions',
      p.standardTransition,
    ),
    line('Step Functions Express', per1000(usage.expressRequests), 'requests', p.expressRequest),
    line('Step Functions Express', expressGbs, 'GB-s', p.expressGbSecond),
    line('Lambda', invocations, 'invocations', p.lambdaRequest),
    line('Lambda', lambdaGbs, 'GB-s (arm64)', p.lambdaGbSecond),
    line('DynamoDB', per1000(usage.writeUnits), 'write request units', p.dynamoWriteUnit),
    line('DynamoDB', per1000(usage.readUnits), 'read request units', p.dynamoReadUnit),
    line('EventBridge', per1000(usage.events), 'events', p.event),
    line('API Gateway (HTTP API)', per1000(usage.apiRequests), 'requests', p.apiRequest),
    line('SQS', per1000(usage.sqsRequests ?? 0), 'requests', p.sqsRequest),
    line('SES', per1000(usage.emails), 'emails', p.email),
  ];
  const byFunction = fns
    .map(([name, f]) => ({
      name,
      invocations: per1000(f.invocations),
      gbSeconds: per1000(gbSeconds(f.billedMs, f.memorySize)),
      usd:
        per1000(f.invocations) * p.lambdaRequest +
        per1000(gbSeconds(f.billedMs, f.memorySize)) * p.lambdaGbSecond,
    }))
    .sort((a, b) => b.usd - a.usd);
  return {
    orders: usage.orders,
    prices: { version: table.version, region: table.region, checkedOn: table.checkedOn },
    lines,
    byFunction,
    totalUsd: lines.reduce((sum, l) => sum + l.usd, 0),
    notCounted: table.notCounted,
  };
}
export type CostReport = ReturnType<typeof costPer1000>;
