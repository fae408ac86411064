import { ConflictError, DomainError, ErrorCode } from './errors';
import { type Order, transitionOrder } from './order';
import { OrderStatus } from './order-status';

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
