import type { Order, PaymentMethod } from '../domain/order';
import type { DomainEvent } from '../domain/order-events';
import type { OrderStatus } from '../domain/order-status';

/** Wall-clock time as ISO 8601 UTC; injected so tests are deterministic. */
export interface Clock {
  now(): string;
}

export interface Ids {
  /** A new order id (ULID: sortable by creation time). */
  orderId(): string;
}

/** The stored outcome of the first request made with an Idempotency-Key. */
export interface IdempotencyRecord {
  /** Operation + key, e.g. `POST /orders:abc`. */
  key: string;
  requestHash: string;
  /** The order as the first response showed it, replayed verbatim. */
  order: Order;
  createdAt: string;
}

/** Raised by OrderRepository.create when the idempotency key was already used. */
export class IdempotencyKeyUsed extends Error {
  constructor(readonly record: IdempotencyRecord) {
    super('Idempotency key already used');
    this.name = 'IdempotencyKeyUsed';
  }
}

/** Raised by OrderRepository.create when another request with the same key has not committed yet. */
export class IdempotencyKeyInFlight extends Error {
  constructor() {
    super('A request with this idempotency key is still in flight');
    this.name = 'IdempotencyKeyInFlight';
  }
}

/** Raised by OrderRepository.create when (channel, externalOrderId) already names an order. */
export class DuplicateExternalOrder extends Error {
  constructor(readonly existingOrderId: string) {
    super('External order id already used on this channel');
    this.name = 'DuplicateExternalOrder';
  }
}

/** Raised by OrderRepository.update when the stored version is not the expected one. */
export class StaleOrderVersion extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} was changed concurrently`);
    this.name = 'StaleOrderVersion';
  }
}

export interface OrderFilter {
  status?: OrderStatus;
  channel?: string;
  customerId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface OrderRepository {
  /** Writes the order, its idempotency record and its external-id claim atomically. */
  create(order: Order, idempotency: IdempotencyRecord): Promise<void>;
  get(id: string): Promise<Order | undefined>;
  /** Replaces the order if its stored version is `order.version - 1`, else StaleOrderVersion. */
  update(order: Order): Promise<void>;
  /** Newest first. */
  list(filter: OrderFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>>;
}

/** Starts the per-order workflow; starting it twice for one order is harmless. */
export interface OrderWorkflow {
  start(order: Order): Promise<void>;
}

export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}

export interface AuthorizationRequest {
  orderId: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  token?: string;
  /** Providers deduplicate on it, so a retried authorization never charges twice. */
  idempotencyKey: string;
}

export type AuthorizationResult =
  | { outcome: 'authorized'; authorizationId: string }
  | { outcome: 'deferred'; reference: string }
  | { outcome: 'declined'; code: string; reason: string };

export interface PaymentGateway {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}

/** One event about an order, as ops read it. */
export interface OrderActivity {
  orderId: string;
  eventId: string;
  sequence: number;
  type: string;
  source: string;
  occurredAt: string;
  data: unknown;
}

export interface OrderActivityLog {
  /** Idempotent by eventId. */
  record(entry: OrderActivity): Promise<void>;
  /** In sequence order. */
  list(orderId: string): Promise<OrderActivity[]>;
}
