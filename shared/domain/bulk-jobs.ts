import type { Principal } from './access';
import type { CancelReason } from './cancellation';
import type { HoldReason } from './hold';
import type { OrderFilter } from './order';

/** What ops do to many orders at once. */
export const BULK_ACTIONS = ['hold', 'release', 'cancel'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type BulkOutcome = 'applied' | 'skipped' | 'failed';

/** Kept per job, so ops see why without a log search (the first ones; the counts say how many). */
const KEPT = 100;

/** One bulk action over the orders a filter matches, worked through a page at a time. */
export interface BulkJob {
  id: string;
  action: BulkAction;
  filter: OrderFilter;
  reason?: HoldReason | CancelReason;
  note?: string;
  /** Who asked: each order is acted on with their rights, as if they had called one by one. */
  by: Principal;
  /** The request's hash: the same Idempotency-Key with another body is refused. */
  requestHash: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** Orders looked at so far, and what became of each. */
  matched: number;
  applied: number;
  skipped: number;
  failed: number;
  /** The first orders skipped (not in a state for the action) and failed, with why. */
  skips: Array<{ orderId: string; reason: string }>;
  failures: Array<{ orderId: string; error: string }>;
  /** Where the next page starts; none once every page was done. */
  cursor?: string;
  pages: number;
  error?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export function newBulkJob(
  input: Pick<BulkJob, 'id' | 'action' | 'filter' | 'by' | 'requestHash'> & {
    reason?: BulkJob['reason'];
    note?: string;
  },
  at: string,
): BulkJob {
  return {
    ...input,
    status: 'RUNNING',
    matched: 0,
    applied: 0,
    skipped: 0,
    failed: 0,
    skips: [],
    failures: [],
    pages: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The job after one page: its counts, what it keeps of skips and failures, and where it goes on. */
export function afterPage(
  job: BulkJob,
  results: ReadonlyArray<{ orderId: string; outcome: BulkOutcome; detail?: string }>,
  cursor: string | undefined,
  at: string,
): BulkJob {
  const count = (outcome: BulkOutcome) => results.filter((r) => r.outcome === outcome).length;
  const { cursor: _previous, ...rest } = job;
  return {
    ...rest,
    matched: job.matched + results.length,
    applied: job.applied + count('applied'),
    skipped: job.skipped + count('skipped'),
    failed: job.failed + count('failed'),
    skips: [
      ...job.skips,
      ...results
        .filter((r) => r.outcome === 'skipped')
        .map((r) => ({ orderId: r.orderId, reason: r.detail ?? '' })),
    ].slice(0, KEPT),
    failures: [
      ...job.failures,
      ...results
        .filter((r) => r.outcome === 'failed')
        .map((r) => ({ orderId: r.orderId, error: r.detail ?? '' })),
    ].slice(0, KEPT),
    ...(cursor === undefined ? { status: 'SUCCEEDED' as const, finishedAt: at } : { cursor }),
    pages: job.pages + 1,
    version: job.version + 1,
    updatedAt: at,
  };
}
