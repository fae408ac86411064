import { createHash } from 'node:crypto';
import type { Principal } from '../domain/access';
import { afterPage, type BulkAction, type BulkJob, type BulkOutcome, newBulkJob } from '../domain/bulk-jobs';
import type { CancelReason } from '../domain/cancellation';
import {
  ConflictError,
  DomainError,
  InvalidStateError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../domain/errors';
import type { HoldReason } from '../domain/hold';
import type { OrderFilter } from '../domain/order';
import { type CancelOrderDeps, cancelOrder } from './cancel-order';
import { placeHold, type ReleaseDeps, releaseHold } from './holds';
import { listOrders } from './list-orders';
import type { BulkJobRunner, BulkJobStore, Clock } from './ports';
import { requestHash, requireSameRequest } from './request-hash';

/** Orders acted on per page: each page is one task run, well inside its timeout. */
export const BULK_PAGE = 25;

export interface BulkJobRequest {
  action: BulkAction;
  filter: OrderFilter;
  reason?: HoldReason | CancelReason;
  note?: string;
}

/**
 * Starts a bulk job (POST /bulk-jobs): named after the caller and its Idempotency-Key, so the
 * same request again answers the same job, and worked through by its own execution.
 */
export async function startBulkJob(
  deps: { jobs: BulkJobStore; runner: BulkJobRunner; clock: Clock },
  input: BulkJobRequest & { principal: Principal; idempotencyKey: string },
): Promise<{ job: BulkJob; replayed: boolean }> {
  const { principal, idempotencyKey, ...request } = input;
  if (Object.values(request.filter).every((v) => v === undefined)) {
    const detail = 'name at least one filter: a bulk job never acts on every order by default';
    throw new ValidationError(`The bulk job has no filter: ${detail}`, [{ pointer: '#/filter', detail }]);
  }
  const id = createHash('sha256')
    .update(`${principal.subject}\n${idempotencyKey}`)
    .digest('hex')
    .slice(0, 24);
  const hash = requestHash(request);
  const job = newBulkJob({ id, ...request, by: principal, requestHash: hash }, deps.clock.now());
  if (await deps.jobs.create(job)) {
    await deps.runner.start(job);
    return { job, replayed: false };
  }
  const first = await deps.jobs.get(id);
  if (!first) throw new Error(`Bulk job ${id} was refused as existing, and does not exist`);
  requireSameRequest(first, hash, idempotencyKey);
  // Started again: a first attempt may have stopped before its execution started.
  await deps.runner.start(first);
  return { job: first, replayed: true };
}

export async function getBulkJob(deps: { jobs: BulkJobStore }, id: string): Promise<BulkJob> {
  const job = await deps.jobs.get(id);
  if (!job) throw new NotFoundError(`Bulk job ${id} does not exist`);
  return job;
}

export type BulkActionDeps = CancelOrderDeps & ReleaseDeps;

/** One order's action, and what became of it: not in a state for it is skipped, not failed. */
async function act(
  deps: BulkActionDeps,
  job: BulkJob,
  orderId: string,
): Promise<{ outcome: BulkOutcome; detail?: string }> {
  const note = job.note === undefined ? {} : { note: job.note };
  try {
    if (job.action === 'hold')
      await placeHold(deps, { orderId, reason: job.reason as HoldReason, ...note, principal: job.by });
    else if (job.action === 'release') await releaseHold(deps, { orderId, ...note, principal: job.by });
    else
      await cancelOrder(deps, {
        orderId,
        request: { reason: job.reason as CancelReason, ...note },
        principal: job.by,
        // One key per job: a page run again replays its cancellations instead of making new ones.
        idempotencyKey: `bulk-${job.id}`,
      });
    return { outcome: 'applied' };
  } catch (error) {
    if (
      error instanceof ConflictError ||
      error instanceof InvalidStateError ||
      error instanceof UnprocessableError
    )
      return { outcome: 'skipped', detail: error.message };
    if (error instanceof DomainError) return { outcome: 'failed', detail: error.message };
    throw error;
  }
}

/**
 * Workflow task: the job's next page of orders, each acted on with the rights of whoever started
 * the job; the counts and the cursor saved after the page. Done once no page is left. A page run
 * again (a retried task) acts again idempotently: holds and releases already made are skipped,
 * cancellations replay.
 */
export async function processBulkJobPage(
  deps: BulkActionDeps & { jobs: BulkJobStore },
  input: { jobId: string },
): Promise<{ jobId: string; done: boolean }> {
  const job = await getBulkJob(deps, input.jobId);
  if (job.status !== 'RUNNING') return { jobId: job.id, done: true };
  const page = await listOrders(deps, {
    ...job.filter,
    limit: BULK_PAGE,
    ...(job.cursor === undefined ? {} : { cursor: job.cursor }),
  });
  const results = [];
  for (const order of page.items) results.push({ orderId: order.id, ...(await act(deps, job, order.id)) });
  const next = afterPage(job, results, page.nextCursor, deps.clock.now());
  await deps.jobs.save(next);
  return { jobId: job.id, done: next.status !== 'RUNNING' };
}

/** Workflow task when a page kept failing past its retries: the job FAILED, with the error. */
export async function failBulkJob(
  deps: { jobs: BulkJobStore; clock: Clock },
  input: { jobId: string; error?: { Error?: string; Cause?: string } },
): Promise<{ jobId: string; done: true }> {
  const job = await getBulkJob(deps, input.jobId);
  const at = deps.clock.now();
  if (job.status === 'RUNNING')
    await deps.jobs.save({
      ...job,
      status: 'FAILED',
      error:
        `${input.error?.Error ?? 'Error'}: ${input.error?.Cause ?? 'the page failed past its retries'}`.slice(
          0,
          1000,
        ),
      version: job.version + 1,
      updatedAt: at,
      finishedAt: at,
    });
  return { jobId: job.id, done: true };
}
