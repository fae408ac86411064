import { describe, expect, it } from 'vitest';
import { AWS_PRICES, type AwsPriceTable } from '../../../shared/contracts/aws-prices';
import { costPer1000, type MeasuredUsage } from '../../../shared/domain/cost-to-serve';

/** Round prices, so every figure below can be checked by hand. */
const prices: AwsPriceTable = {
  ...AWS_PRICES,
  prices: {
    lambdaRequest: 0.2 / 1e6,
    lambdaGbSecond: 0.00001,
    standardTransition: 0.000025,
    expressRequest: 0.000001,
    expressGbSecond: 0.00002,
    expressMemoryGb: 0.0625,
    dynamoWriteUnit: 0.000001,
    dynamoReadUnit: 0.0000002,
    event: 0.000001,
    apiRequest: 0.000001,
    sqsRequest: 0.0000004,
    email: 0.0001,
  },
};

/** Two orders: 5 transitions each, two functions, one Express run each of 300 ms. */
const usage: MeasuredUsage = {
  orders: 2,
  standardTransitions: 10,
  functions: {
    PlaceOrder: { invocations: 2, billedMs: 400, memorySize: 512 },
    ShipShipment: { invocations: 2, billedMs: 2000, memorySize: 1024 },
    Unused: { invocations: 0, billedMs: 0, memorySize: 512 },
  },
  expressRequests: 2,
  expressBilledMs: 600,
  readUnits: 30,
  writeUnits: 100,
  events: 20,
  apiRequests: 6,
  emails: 8,
  sqsRequests: 30,
};

describe('cost to serve', () => {
  it('prices a hand-computed usage per 1,000 orders, line by line and in total', () => {
    const report = costPer1000(usage, prices);
    const line = (item: string, unit: string) => report.lines.find((l) => l.item === item && l.unit === unit);
    // 10 transitions / 2 orders x 1,000 = 5,000 transitions x $0.000025 = $0.125
    expect(line('Step Functions Standard', 'state transitions')).toEqual({
      item: 'Step Functions Standard',
      quantity: 5000,
      unit: 'state transitions',
      usd: 0.125,
    });
    // 0.6 s x 0.0625 GB / 2 x 1,000 = 18.75 GB-s x $0.00002 = $0.000375
    expect(line('Step Functions Express', 'GB-s')?.quantity).toBeCloseTo(18.75, 10);
    expect(line('Step Functions Express', 'GB-s')?.usd).toBeCloseTo(0.000375, 12);
    // 4 invocations / 2 x 1,000 = 2,000 x $0.0000002 = $0.0004
    expect(line('Lambda', 'invocations')?.quantity).toBe(2000);
    expect(line('Lambda', 'invocations')?.usd).toBeCloseTo(0.0004, 12);
    // (0.4 s x 0.5 GB + 2 s x 1 GB) / 2 x 1,000 = 1,100 GB-s x $0.00001 = $0.011
    expect(line('Lambda', 'GB-s (arm64)')?.quantity).toBeCloseTo(1100, 10);
    expect(line('Lambda', 'GB-s (arm64)')?.usd).toBeCloseTo(0.011, 12);
    expect(line('DynamoDB', 'write request units')?.usd).toBeCloseTo(0.05, 12);
    expect(line('DynamoDB', 'read request units')?.usd).toBeCloseTo(0.003, 12);
    expect(line('EventBridge', 'events')?.usd).toBeCloseTo(0.01, 12);
    expect(line('API Gateway (HTTP API)', 'requests')?.usd).toBeCloseTo(0.003, 12);
    expect(line('SES', 'emails')?.usd).toBeCloseTo(0.4, 12);
    // 30 / 2 x 1,000 = 15,000 requests x $0.0000004 = $0.006
    expect(line('SQS', 'requests')?.usd).toBeCloseTo(0.006, 12);
    // 0.125 + 0.001 (Express requests) + 0.000375 + 0.0004 + 0.011 + 0.05 + 0.003 + 0.01 + 0.003 + 0.006 + 0.4
    expect(report.totalUsd).toBeCloseTo(0.609775, 10);
    expect(report.byFunction.map((f) => f.name)).toEqual(['ShipShipment', 'PlaceOrder']);
    expect(report.byFunction[0]).toMatchObject({ invocations: 1000, gbSeconds: 1000 });
  });

  it('names the price table it used and what it leaves out', () => {
    const report = costPer1000(usage, AWS_PRICES);
    expect(report.prices).toEqual({
      version: AWS_PRICES.version,
      region: 'us-east-1',
      checkedOn: AWS_PRICES.checkedOn,
    });
    expect(report.notCounted.some((n) => n.startsWith('CloudWatch Logs'))).toBe(true);
  });
});
