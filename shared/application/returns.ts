import { createHash } from 'node:crypto';
import { type Principal, requireChannel } from '../domain/access';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { returnEvent } from '../domain/return-events';
import {
  approvesAutomatically,
  type OrderReturn,
  planReturn,
  type ReturnRequest,
  ReturnStatus,
  transitionReturn,
} from '../domain/returns';
import { getOrder } from './get-order';
import {
  type AlertLog,
  type Clock,
  type EventPublisher,
  IdempotencyKeyInFlight,
  IdempotencyKeyUsed,
  type OrderRepository,
  type Page,
  type ReturnFilter,
  type ReturnPolicyStore,
  type ReturnRepository,
  type ReturnWait,
  type ReturnWorkflow,
  type ShipmentRepository,
  StaleReturn,
  type WorkflowCallbacks,
} from './ports';
import { requestHash, requireSameRequest } from './request-hash';

export interface ReturnDeps {
  orders: OrderRepository;
  returns: ReturnRepository;
  events: EventPublisher;
  clock: Clock;
}

export interface RequestReturnDeps extends ReturnDeps {
  shipments: ShipmentRepository;
  policies: ReturnPolicyStore;
  returnWorkflow: ReturnWorkflow;
}

/** The return with that id, or NotFoundError; ForbiddenError when `viewer` is not its channel or ops. */
export async function getReturn(
  deps: { returns: ReturnRepository },
  id: string,
  viewer?: Principal,
): Promise<OrderReturn> {
  const rma = await deps.returns.get(id);
  if (!rma) throw new NotFoundError(`Return ${id} does not exist`, { returnId: id });
  if (viewer) requireChannel(viewer, rma.channel);
  return rma;
}

/** Returns newest first; a channel sees only its own orders' returns (it must name one of its orders). */
export async function listReturns(
  deps: { returns: ReturnRepository; orders: OrderRepository },
  filter: ReturnFilter,
  page: { limit: number; cursor?: string },
  viewer: Principal,
): Promise<Page<OrderReturn>> {
  if (!viewer.ops) {
    if (filter.orderId === undefined)
      throw new UnprocessableError('A channel lists the returns of one of its orders: give orderId', {
        errors: [{ pointer: '#/query/orderId', detail: 'required for a channel' }],
      });
    await getOrder(deps, filter.orderId, viewer);
  }
  return deps.returns.list(filter, page);
}

/** Publishes the return's event for its current version (its id is stable, so a repeat is deduplicated). */
export async function publishReturn(
  deps: Pick<ReturnDeps, 'events' | 'orders'>,
  rma: OrderReturn,
  detailType?: string,
): Promise<void> {
  const order = await getOrder(deps, rma.orderId);
  await deps.events.publish([
    returnEvent(rma, { email: order.customer.email, correlationId: order.correlationId }, detailType),
  ]);
}

const RETURN_WRITE_ATTEMPTS = 8;

/**
 * Writes `change(rma)` over a fresh read, reading again when a racing writer (a carrier webhook,
 * ops) got there first. `change` returns undefined when there is nothing to write.
 */
export async function rewriteReturn(
  deps: { returns: ReturnRepository },
  id: string,
  change: (rma: OrderReturn) => OrderReturn | undefined,
  viewer?: Principal,
): Promise<{ rma: OrderReturn; written: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const rma = await getReturn(deps, id, viewer);
    const changed = change(rma);
    if (!changed) return { rma, written: false };
    try {
      await deps.returns.update(changed);
      return { rma: changed, written: true };
    } catch (error) {
      if (!(error instanceof StaleReturn) || attempt >= RETURN_WRITE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Moves a return to `to` once, publishing its event; a repeat (the step retried, the request sent
 * again) finds it there and publishes the same event again, in case the first stopped before it.
 */
export async function moveReturn(
  deps: ReturnDeps,
  id: string,
  to: ReturnStatus,
  changes: (rma: OrderReturn) => Parameters<typeof transitionReturn>[3],
  viewer?: Principal,
): Promise<OrderReturn> {
  const { rma } = await rewriteReturn(
    deps,
    id,
    (current) =>
      current.status === to ? undefined : transitionReturn(current, to, deps.clock.now(), changes(current)),
    viewer,
  );
  await publishReturn(deps, rma);
  return rma;
}

interface RequestedRecord {
  returnId: string;
}

/**
 * Opens a return of delivered units, once per Idempotency-Key, and starts its workflow. The same
 * key and body again answers the same return (and starts its workflow again, harmlessly: a crash
 * between the write and the start heals on retry); the same key with another body is 422.
 */
export async function requestReturn(
  deps: RequestReturnDeps,
  input: { orderId: string; request: ReturnRequest; principal: Principal; idempotencyKey: string },
): Promise<{ rma: OrderReturn; replayed: boolean }> {
  const key = `POST returns:${input.principal.subject}:${input.idempotencyKey}`;
  const hash = requestHash({ orderId: input.orderId, request: input.request });
  const replay = async (recorded: RequestedRecord) => {
    const rma = await getReturn(deps, recorded.returnId);
    // Still as created: the first request may have stopped before publishing ReturnRequested.
    if (rma.version === 1) await publishReturn(deps, rma);
    await deps.returnWorkflow.start(rma);
    return { rma, replayed: true };
  };
  for (let attempt = 1; attempt <= RETURN_WRITE_ATTEMPTS; attempt++) {
    const order = await getOrder(deps, input.orderId, input.principal);
    const [shipments, earlier, policy] = await Promise.all([
      deps.shipments.ofOrder(order.id),
      deps.returns.ofOrder(order.id),
      deps.policies.current(),
    ]);
    const now = deps.clock.now();
    const rma = planReturn({
      order,
      shipments,
      earlier,
      request: input.request,
      policy,
      by: input.principal.subject,
      id: `${order.id}-R${earlier.length + 1}`,
      now,
    });
    try {
      const recorded: RequestedRecord = { returnId: rma.id };
      // Another return of the same order took the id: plan again, counting it.
      if (!(await deps.returns.create(rma, { key, requestHash: hash, result: recorded, createdAt: now })))
        continue;
    } catch (error) {
      if (error instanceof IdempotencyKeyUsed) {
        requireSameRequest(error.record, hash, input.idempotencyKey);
        return replay(error.record.result as RequestedRecord);
      }
      if (error instanceof IdempotencyKeyInFlight)
        throw new ConflictError(
          'A request with this Idempotency-Key is still being processed; retry shortly',
          {
            idempotencyKey: input.idempotencyKey,
          },
        );
      throw error;
    }
    await publishReturn(deps, rma);
    await deps.returnWorkflow.start(rma);
    return { rma, replayed: false };
  }
  throw new ConflictError(`Returns of order ${input.orderId} are being opened too fast; retry`, {
    orderId: input.orderId,
  });
}

/** Workflow step: approves a return the policy approves on its own; otherwise it waits for ops. */
export async function reviewReturn(
  deps: ReturnDeps & { policies: ReturnPolicyStore },
  returnId: string,
): Promise<{ returnId: string; status: ReturnStatus }> {
  const [rma, policy] = await Promise.all([getReturn(deps, returnId), deps.policies.current()]);
  if (rma.status !== ReturnStatus.REQUESTED || !approvesAutomatically(policy, rma))
    return { returnId, status: rma.status };
  const approved = await moveReturn(deps, returnId, ReturnStatus.APPROVED, () => ({
    approval: { by: 'oms', at: deps.clock.now(), automatic: true, note: `policy version ${policy.version}` },
  }));
  return { returnId, status: approved.status };
}

/** Statuses that end each wait of a return's workflow. */
const WAIT_OVER: Record<ReturnWait, readonly ReturnStatus[]> = {
  decision: [ReturnStatus.APPROVED, ReturnStatus.REJECTED],
  receipt: [ReturnStatus.RECEIVED, ReturnStatus.REJECTED],
  // Only ops' retry ends it.
  retry: [],
};

/**
 * `.waitForTaskToken` step: files the token beside the return, then looks whether what it waits
 * for already happened (ops decided, the parcel was received before the token was filed) and
 * answers at once if so. Filing first and looking second closes the gap with the answering side.
 */
export async function awaitReturnStep(
  deps: { returns: ReturnRepository; callbacks: WorkflowCallbacks },
  input: { returnId: string; wait: ReturnWait; taskToken: string },
): Promise<void> {
  await deps.returns.setWaitToken(input.returnId, input.wait, input.taskToken);
  const rma = await getReturn(deps, input.returnId);
  if (WAIT_OVER[input.wait].includes(rma.status))
    await deps.callbacks.succeed(input.taskToken, { returnId: rma.id, status: rma.status });
}

/** Ends a return's wait (if the workflow is in it) with where the return now stands. */
export async function endReturnWait(
  deps: { returns: ReturnRepository; callbacks: WorkflowCallbacks },
  rma: OrderReturn,
  wait: ReturnWait,
): Promise<void> {
  const token = await deps.returns.waitToken(rma.id, wait);
  if (token) await deps.callbacks.succeed(token, { returnId: rma.id, status: rma.status });
}

/** Ops approve or reject a return waiting for them; the same decision again is a no-op. */
export async function decideReturn(
  deps: ReturnDeps & { callbacks: WorkflowCallbacks },
  input: {
    returnId: string;
    decision: 'approve' | 'reject';
    reason?: string;
    note?: string;
    principal: Principal;
  },
): Promise<OrderReturn> {
  const to = input.decision === 'approve' ? ReturnStatus.APPROVED : ReturnStatus.REJECTED;
  const current = await getReturn(deps, input.returnId, input.principal);
  if (current.status !== to && current.status !== ReturnStatus.REQUESTED)
    throw new ConflictError(`Return ${current.id} is ${current.status}: it was decided already`, {
      returnId: current.id,
      status: current.status,
    });
  const at = deps.clock.now();
  const by = input.principal.subject;
  const rma = await moveReturn(
    deps,
    input.returnId,
    to,
    () =>
      input.decision === 'approve'
        ? {
            approval: { by, at, automatic: false, ...(input.note ? { note: input.note } : {}) },
            source: by,
          }
        : {
            rejection: { by, at, stage: 'approval', reason: input.reason ?? 'rejected by ops' },
            source: by,
            detail: input.reason ?? 'rejected by ops',
          },
    input.principal,
  );
  await endReturnWait(deps, rma, 'decision');
  return rma;
}

/**
 * A return's step failed past its retries: an alert for ops (once per failure), who fix the cause
 * and retry the step (retryReturnStep).
 */
export async function flagReturn(
  deps: { alerts: AlertLog; clock: Clock },
  input: { returnId: string; step: string; error: string; cause?: string },
): Promise<void> {
  await deps.alerts.record({
    id: `${input.returnId}-failed-${createHash('sha256')
      .update(`${input.error}:${input.cause ?? ''}`)
      .digest('hex')
      .slice(0, 12)}`,
    type: 'ReturnStepFailed',
    raisedAt: deps.clock.now(),
    subject: { returnId: input.returnId, step: input.step },
    message: `Return ${input.returnId} stopped at ${input.step}: ${input.error}${input.cause ? ` (${input.cause.slice(0, 500)})` : ''}. Retry it (POST /returns/${input.returnId}/retry) once the cause is fixed.`,
  });
}

/** Ops retry a return's step that failed (after fixing its cause); 409 when no step waits for it. */
export async function retryReturnStep(
  deps: { returns: ReturnRepository; callbacks: WorkflowCallbacks },
  input: { returnId: string; principal: Principal },
): Promise<OrderReturn> {
  const rma = await getReturn(deps, input.returnId, input.principal);
  const token = await deps.returns.waitToken(rma.id, 'retry');
  if (!token || !(await deps.callbacks.succeed(token, { returnId: rma.id })))
    throw new ConflictError(`No step of return ${rma.id} is waiting for a retry`, { returnId: rma.id });
  return rma;
}
