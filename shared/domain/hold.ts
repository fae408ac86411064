import { ConflictError, DomainError, ErrorCode } from './errors';
import { type Order, transitionOrder } from './order';
import { canTransition, OrderStatus } from './order-status';

/** Why ops hold an order: a closed list, so reports can count them. */
export const HOLD_REASONS = ['fraud', 'payment', 'address', 'ops'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/**
 * Thrown by a workflow step that finds its order ON_HOLD: the state machine catches it by name
 * and parks the execution on a release wait before the step, then runs the step again.
 */
export class OrderOnHold extends DomainError {
  readonly code = ErrorCode.INVALID_STATE;
  constructor(orderId: string) {
    super(`Order ${orderId} is ON_HOLD: the workflow waits for its release`, { orderId });
  }
}

/** Statuses from which ops can hold: anything before the last shipment left. */
const HOLDABLE: readonly OrderStatus[] = [
  OrderStatus.PENDING,
  OrderStatus.CONFIRMED,
  OrderStatus.BACKORDERED,
  OrderStatus.ALLOCATED,
  OrderStatus.ROUTED,
  OrderStatus.FULFILLING,
];

/** Ops hold an order: ON_HOLD, remembering where it stood; refused once everything shipped. */
export function holdOrder(
  order: Order,
  request: { reason: HoldReason; note?: string },
  meta: { by: string; at: string },
): Order {
  if (!HOLDABLE.includes(order.status)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}: it cannot be held`, {
      status: order.status,
    });
  }
  return transitionOrder(order, OrderStatus.ON_HOLD, meta.at, {
    reason: `${request.reason}${request.note ? `: ${request.note}` : ''}`,
    hold: { kind: request.reason, by: meta.by },
  });
}

/** Releases a held order back to the status it was held in. */
export function releaseOrder(order: Order, meta: { by: string; at: string; note?: string }): Order {
  if (order.status !== OrderStatus.ON_HOLD || !order.hold) {
    throw new ConflictError(
      `Order ${order.id} is ${order.status}, not ON_HOLD: there is nothing to release`,
      {
        status: order.status,
      },
    );
  }
  return transitionOrder(order, order.hold.from, meta.at, {
    reason: `released by ${meta.by}${meta.note ? `: ${meta.note}` : ''}`,
  });
}

/** A workflow step's guard: a held order goes no further than this step boundary. */
export function stopIfHeld(order: Order): void {
  if (order.status === OrderStatus.ON_HOLD) throw new OrderOnHold(order.id);
}

/** What a workflow step threw past its retries, as Step Functions hands it to a catcher. */
export interface StepFailure {
  Error?: string;
  Cause?: string;
}

/** One line for ops: the error's name and the message a Lambda error carries in its cause. */
export function describeFailure(step: string, failure: StepFailure | undefined): string {
  let cause = failure?.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // a plain-text cause
  }
  const detail = cause ? `: ${cause.slice(0, 300)}` : '';
  return `${step} failed after its retries (${failure?.Error ?? 'unknown error'})${detail}`;
}

/**
 * Holds an order after a step failed for good. Before routing the reservation is let go as well,
 * so the release starts over at allocation (CONFIRMED); later, what it holds stays for the step
 * to run again. Nothing for an order that is held already or finished.
 */
export function holdForFailure(
  order: Order,
  failure: { step: string; error?: StepFailure; stockReleased: boolean },
  at: string,
): Order | undefined {
  if (order.status === OrderStatus.ON_HOLD || !canTransition(order.status, OrderStatus.ON_HOLD))
    return undefined;
  const from =
    failure.stockReleased && order.status !== OrderStatus.PENDING ? OrderStatus.CONFIRMED : order.status;
  return transitionOrder(order, OrderStatus.ON_HOLD, at, {
    reason: describeFailure(failure.step, failure.error),
    hold: { kind: 'failure', by: 'oms', from },
  });
}
