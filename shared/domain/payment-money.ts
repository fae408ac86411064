/**
 * The money of an order's payment as the OMS keeps it: what the provider authorized, then each
 * movement it made against that authorization (a capture per shipment, voids of what will not
 * ship, refunds of what came back), each under the idempotency key it was asked with.
 */
export type MovementKind = 'capture' | 'void' | 'refund';

export interface PaymentMovement {
  kind: MovementKind;
  /** The idempotency key the gateway was called with: `capture-<shipmentId>`, `void-...`, `refund-<returnId>`. */
  key: string;
  amount: number;
  /** The provider's id for the movement. */
  reference: string;
  at: string;
  /** The order's version that recorded it: its event keeps this sequence however often it is re-published. */
  orderVersion?: number;
}

export interface PaymentMoney {
  authorized: number;
  captured: number;
  refunded: number;
  voided: number;
  /** Authorized and neither captured nor voided yet: what later shipments can still capture. */
  outstanding: number;
}

const sum = (movements: readonly PaymentMovement[], kind: MovementKind) =>
  movements.filter((m) => m.kind === kind).reduce((total, m) => total + m.amount, 0);

export function moneyOf(authorized: number, movements: readonly PaymentMovement[] = []): PaymentMoney {
  const captured = sum(movements, 'capture');
  const voided = sum(movements, 'void');
  return {
    authorized,
    captured,
    refunded: sum(movements, 'refund'),
    voided,
    outstanding: authorized - captured - voided,
  };
}

/** The movements with this one added, unless one under the same key is already there (a retry). */
export function addMovement(
  movements: readonly PaymentMovement[] = [],
  movement: PaymentMovement,
): PaymentMovement[] {
  return movements.some((m) => m.key === movement.key) ? [...movements] : [...movements, movement];
}

/** A capture's key: a new one after each refusal, since a provider answers a repeated key as it did the first time. */
export const captureKey = (shipmentId: string, refusals = 0) =>
  refusals === 0 ? `capture-${shipmentId}` : `capture-${shipmentId}-retry-${refusals}`;
/** The one void of an order's outstanding authorization (when the order is cancelled). */
export const voidKey = (orderId: string) => `void-${orderId}`;

/** The one refund of a return. */
export const refundKey = (returnId: string) => `refund-${returnId}`;

/**
 * What shipping a shipment captures: the value of its lines at the order's prices, never more
 * than is still outstanding (so a split order's captures sum to what its shipments carry).
 */
export function shipmentCharge(
  prices: ReadonlyMap<string, number>,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
  outstanding: number,
): number {
  const value = lines.reduce((total, line) => total + (prices.get(line.sku) ?? 0) * line.quantity, 0);
  return Math.min(value, outstanding);
}
