import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../infra/constructs/oms-function';
import type { CloudUsage } from '../infra/local/usage';
import type { MeasuredUsage } from '../shared/domain/cost-to-serve';

/** Where the bench leaves what its metered orders used, for `npm run cost`. */
export const USAGE_FILE = path.join(PROJECT_ROOT, '.oms', 'bench', 'usage.json');

export interface UsageRecord {
  measuredAt: string;
  /** How the orders ran: what the bench placed and drove to DELIVERED. */
  scenario: string;
  usage: MeasuredUsage;
}

/**
 * A run's usage as AWS would bill it: the local cloud's own tables (execution journal, queues,
 * secrets) are the emulation's, not the OMS's, so their capacity is left out; functions by name.
 */
export function measuredUsage(usage: CloudUsage, orders: number): MeasuredUsage {
  const capacity = Object.entries(usage.dynamodb ?? {}).filter(([caller]) => caller !== 'LocalCloud');
  return {
    orders,
    standardTransitions: usage.standardTransitions,
    functions: Object.fromEntries(
      Object.entries(usage.functions).map(([id, f]) => [id.replace(/Function[0-9A-F]{8}$/, ''), f]),
    ),
    expressRequests: usage.expressRequests,
    expressBilledMs: usage.expressBilledMs,
    readUnits: capacity.reduce((n, [, c]) => n + c.readUnits, 0),
    writeUnits: capacity.reduce((n, [, c]) => n + c.writeUnits, 0),
    events: usage.events,
    apiRequests: usage.apiRequests,
    emails: usage.emails,
    sqsRequests: usage.sqsRequests,
  };
}

export function saveUsage(record: UsageRecord): void {
  mkdirSync(path.dirname(USAGE_FILE), { recursive: true });
  writeFileSync(USAGE_FILE, `${JSON.stringify(record, null, 2)}\n`);
}

export function loadUsage(file = USAGE_FILE): UsageRecord {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as UsageRecord;
  } catch {
    throw new Error(
      `No measured usage at ${file}: run npm run bench (or npm run bench -- --writes-only) first`,
    );
  }
}
