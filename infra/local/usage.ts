/**
 * What the local cloud's run would have used on AWS, in the units AWS bills: each function's
 * invocations and billed milliseconds at its memory, HTTP API requests, events put on the bus,
 * Standard state transitions, Express requests and billed duration, emails sent, SQS requests, and (with the
 * DynamoDB meter) read and write capacity units by caller.
 */
export interface CloudUsage {
  functions: Record<string, { invocations: number; billedMs: number; memorySize: number }>;
  apiRequests: number;
  events: number;
  standardTransitions: number;
  expressRequests: number;
  expressBilledMs: number;
  emails: number;
  /** SQS requests as billed: messages sent to queues, and Lambda's receives and deletes of their batches. */
  sqsRequests: number;
  /** By caller: a function's logical id, or `LocalCloud` for the local cloud's own tables (not on AWS). */
  dynamodb?: Record<string, { readUnits: number; writeUnits: number }>;
}

/** `after` minus `before`: what one stretch of a run used. */
export function usageBetween(before: CloudUsage, after: CloudUsage): CloudUsage {
  const minus = <T extends Record<string, number>>(a: T, b: T | undefined): T =>
    Object.fromEntries(
      Object.entries(a).map(([k, v]) => [k, k === 'memorySize' ? v : v - (b?.[k] ?? 0)]),
    ) as T;
  const each = <T extends Record<string, number>>(a: Record<string, T>, b: Record<string, T> | undefined) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, minus(v, b?.[k])]));
  return {
    functions: each(after.functions, before.functions),
    apiRequests: after.apiRequests - before.apiRequests,
    events: after.events - before.events,
    standardTransitions: after.standardTransitions - before.standardTransitions,
    expressRequests: after.expressRequests - before.expressRequests,
    expressBilledMs: after.expressBilledMs - before.expressBilledMs,
    emails: after.emails - before.emails,
    sqsRequests: after.sqsRequests - before.sqsRequests,
    ...(after.dynamodb ? { dynamodb: each(after.dynamodb, before.dynamodb) } : {}),
  };
}
