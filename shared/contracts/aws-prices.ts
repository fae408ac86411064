/**
 * AWS list prices the cost to serve is priced with: one region, on-demand, no free tier, as the
 * pricing pages gave them on `checkedOn`. Versioned with the code: a new price is a new entry,
 * so a cost report names the table it used.
 */
export interface AwsPriceTable {
  version: string;
  region: string;
  checkedOn: string;
  /** USD per unit. */
  prices: {
    lambdaRequest: number;
    /** arm64 (the functions' architecture), first tier. */
    lambdaGbSecond: number;
    standardTransition: number;
    expressRequest: number;
    expressGbSecond: number;
    /** Express bills memory in 64 MB steps; an order's payloads and definition fit the first. */
    expressMemoryGb: number;
    dynamoWriteUnit: number;
    dynamoReadUnit: number;
    /** EventBridge custom events put (64 KB each); deliveries to targets are not billed. */
    event: number;
    /** HTTP API requests (512 KB each), first 300 million a month. */
    apiRequest: number;
    /** SQS standard queue requests (64 KB each), past the first million a month. */
    sqsRequest: number;
    email: number;
  };
  notCounted: string[];
}

export const AWS_PRICES: AwsPriceTable = {
  version: '2026-12-us-east-1',
  region: 'us-east-1',
  checkedOn: '2026-12-06',
  prices: {
    lambdaRequest: 0.2 / 1e6,
    lambdaGbSecond: 0.0000133334,
    standardTransition: 25 / 1e6,
    expressRequest: 1 / 1e6,
    expressGbSecond: 0.00001667,
    expressMemoryGb: 64 / 1024,
    dynamoWriteUnit: 0.625 / 1e6,
    dynamoReadUnit: 0.125 / 1e6,
    event: 1 / 1e6,
    apiRequest: 1 / 1e6,
    sqsRequest: 0.4 / 1e6,
    email: 0.1 / 1000,
  },
  notCounted: [
    'CloudWatch Logs ingestion and storage ($0.50/GB ingested): depends on log level and retention',
    'X-Ray traces (active tracing; first 100,000 a month free)',
    'DynamoDB storage ($0.25/GB-month) and backups',
    'Cognito machine-to-machine token requests',
    'Secrets Manager API calls (cached per cold start)',
    "SQS: Lambda's pollers long-poll each projection queue while it is empty (a fixed few requests a minute per queue, not per order); the dead-letter queues only on failures",
    'data transfer out',
  ],
};
