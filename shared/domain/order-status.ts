import { InvalidStateError } from './errors';

/** Every status an order can be in. Later stages (returns) extend this list. */
export const OrderStatus = {
  PENDING: 'PENDING',
  CONFIRMED: 'CONFIRMED',
  BACKORDERED: 'BACKORDERED',
  ALLOCATED: 'ALLOCATED',
  ROUTED: 'ROUTED',
  FULFILLING: 'FULFILLING',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  ON_HOLD: 'ON_HOLD',
  CANCELLED: 'CANCELLED',
  FAILED: 'FAILED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES = Object.values(OrderStatus) as readonly OrderStatus[];

const S = OrderStatus;
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: [S.CONFIRMED, S.FAILED, S.CANCELLED, S.ON_HOLD],
  CONFIRMED: [S.ALLOCATED, S.BACKORDERED, S.CANCELLED, S.ON_HOLD],
  BACKORDERED: [S.ALLOCATED, S.CANCELLED, S.ON_HOLD],
  ALLOCATED: [S.ROUTED, S.BACKORDERED, S.CANCELLED, S.ON_HOLD],
  ROUTED: [S.FULFILLING, S.BACKORDERED, S.CANCELLED, S.ON_HOLD],
  FULFILLING: [S.SHIPPED, S.CANCELLED, S.ON_HOLD],
  SHIPPED: [S.DELIVERED, S.ON_HOLD],
  // Ops release a hold back into the flow where it stopped, or cancel.
  ON_HOLD: [
    S.PENDING,
    S.CONFIRMED,
    S.BACKORDERED,
    S.ALLOCATED,
    S.ROUTED,
    S.FULFILLING,
    S.SHIPPED,
    S.DELIVERED,
    S.CANCELLED,
  ],
  DELIVERED: [],
  CANCELLED: [],
  FAILED: [],
};

/** Whether an order may move from `from` to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws InvalidStateError when the move is not allowed. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new InvalidStateError(`An order cannot move from ${from} to ${to}`, { from, to });
  }
}

/** Statuses no transition leaves. */
export function isTerminal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
