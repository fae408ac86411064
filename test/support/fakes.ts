import {
  DuplicateExternalOrder,
  type EventPublisher,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type OrderFilter,
  type OrderRepository,
  type OrderWorkflow,
  type Page,
  StaleOrderVersion,
} from '../../shared/application/ports';
import type { Order } from '../../shared/domain/order';
import type { DomainEvent } from '../../shared/domain/order-events';

/** In-memory OrderRepository with the same contract as the DynamoDB one. */
export class InMemoryOrders implements OrderRepository {
  readonly orders = new Map<string, Order>();
  readonly keys = new Map<string, IdempotencyRecord>();
  readonly external = new Map<string, string>();

  async create(order: Order, idempotency: IdempotencyRecord): Promise<void> {
    const existing = this.keys.get(idempotency.key);
    if (existing) throw new IdempotencyKeyUsed(existing);
    const claim =
      order.externalOrderId === undefined ? undefined : `${order.channel}#${order.externalOrderId}`;
    if (claim && this.external.has(claim))
      throw new DuplicateExternalOrder(this.external.get(claim) as string);
    this.orders.set(order.id, structuredClone(order));
    this.keys.set(idempotency.key, structuredClone(idempotency));
    if (claim) this.external.set(claim, order.id);
  }

  async get(id: string): Promise<Order | undefined> {
    const order = this.orders.get(id);
    return order && structuredClone(order);
  }

  async update(order: Order): Promise<void> {
    if (this.orders.get(order.id)?.version !== order.version - 1) throw new StaleOrderVersion(order.id);
    this.orders.set(order.id, structuredClone(order));
  }

  async list(filter: OrderFilter, page: { limit: number }): Promise<Page<Order>> {
    const items = [...this.orders.values()]
      .filter((o) => (filter.status ? o.status === filter.status : true))
      .filter((o) => (filter.channel ? o.channel === filter.channel : true))
      .filter((o) => (filter.customerId ? o.customer.id === filter.customerId : true))
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    return { items: items.slice(0, page.limit) };
  }
}

export class RecordingWorkflow implements OrderWorkflow {
  readonly started: string[] = [];
  async start(order: Order): Promise<void> {
    this.started.push(order.id);
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  failNext = false;
  async publish(events: DomainEvent[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('bus unavailable');
    }
    this.events.push(...events);
  }
}

export const fixedClock = (now = '2026-11-22T10:00:00.000Z') => ({ now: () => now });

export function sequentialIds(prefix = '01JTEST0000000000000000') {
  let n = 0;
  return { orderId: () => `${prefix}${String(++n).padStart(3, '0')}` };
}
