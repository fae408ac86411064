import type {
  SandboxAuthorization,
  SandboxLedgerStore,
} from '../../shared/adapters/payments/sandbox-payment-gateway';
import {
  DuplicateExternalOrder,
  type EventPublisher,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type InventoryLedger,
  type Mailer,
  type NotificationOutbox,
  type OrderFilter,
  type OrderRepository,
  type OrderWorkflow,
  type Page,
  type ReservationResult,
  StaleOrderVersion,
} from '../../shared/application/ports';
import { type NetworkStock, type ReservationLine, shortages } from '../../shared/domain/inventory';
import type { Notification, OutboxEntry } from '../../shared/domain/notifications';
import { createOrder, type Order, type OrderDraft } from '../../shared/domain/order';
import type { DomainEvent } from '../../shared/domain/order-events';
import { ORDER_STATUSES, type OrderStatus } from '../../shared/domain/order-status';

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

  async byExternalId(channel: string, externalOrderId: string): Promise<Order | undefined> {
    const id = this.external.get(`${channel}#${externalOrderId}`);
    return id === undefined ? undefined : this.get(id);
  }

  async update(order: Order): Promise<void> {
    if (this.orders.get(order.id)?.version !== order.version - 1) throw new StaleOrderVersion(order.id);
    this.orders.set(order.id, structuredClone(order));
  }

  async list(filter: OrderFilter, page: { limit: number }): Promise<Page<Order>> {
    const placedIn = (o: Order) =>
      (!filter.from || o.createdAt.slice(0, 10) >= filter.from) &&
      (!filter.to || o.createdAt.slice(0, 10) <= filter.to);
    const items = [...this.orders.values()]
      .filter((o) => (filter.status ? o.status === filter.status : true))
      .filter((o) => (filter.channel ? o.channel === filter.channel : true))
      .filter((o) => (filter.customerId ? o.customer.id === filter.customerId : true))
      .filter((o) => (filter.sku ? o.lines.some((l) => l.sku === filter.sku) : true))
      .filter((o) =>
        filter.customerEmail ? o.customer.email.toLowerCase() === filter.customerEmail.toLowerCase() : true,
      )
      .filter((o) => (filter.externalOrderId ? o.externalOrderId === filter.externalOrderId : true))
      .filter(placedIn)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    return { items: items.slice(0, page.limit) };
  }

  async countByStatus(
    filter: Pick<OrderFilter, 'from' | 'to' | 'channel'>,
  ): Promise<Record<OrderStatus, number>> {
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const order of (await this.list(filter, { limit: Number.POSITIVE_INFINITY })).items)
      counts[order.status]++;
    return counts;
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

/** An in-memory network stock book with the ledger's reservation contract (no locations). */
export class InMemoryLedger
  implements Pick<InventoryLedger, 'reserve' | 'release' | 'network' | 'reservationsOf'>
{
  readonly stock = new Map<string, NetworkStock>();
  readonly held = new Map<string, ReservationLine[]>();

  put(sku: string, onHand: number): void {
    this.stock.set(sku, { sku, onHand, reserved: 0, safetyStock: 0 });
  }

  async network(skus: string[]): Promise<Map<string, NetworkStock>> {
    return new Map(
      skus.flatMap((sku) =>
        this.stock.has(sku) ? [[sku, { ...(this.stock.get(sku) as NetworkStock) }]] : [],
      ),
    );
  }

  async reserve(orderId: string, lines: ReservationLine[]): Promise<ReservationResult> {
    if (this.held.has(orderId)) return { reserved: true };
    const missing = shortages(lines, await this.network(lines.map((l) => l.sku)));
    if (missing.length > 0) return { reserved: false, shortages: missing };
    for (const line of lines) (this.stock.get(line.sku) as NetworkStock).reserved += line.quantity;
    this.held.set(orderId, lines);
    return { reserved: true };
  }

  async release(orderId: string): Promise<void> {
    for (const line of this.held.get(orderId) ?? [])
      (this.stock.get(line.sku) as NetworkStock).reserved -= line.quantity;
    this.held.delete(orderId);
  }

  async reservationsOf(orderId: string): Promise<ReservationLine[]> {
    return this.held.get(orderId) ?? [];
  }
}

/** The outbox as a map: file once per id, settle in place. */
export class InMemoryOutbox implements NotificationOutbox {
  readonly entries = new Map<string, OutboxEntry>();

  async file(
    notification: Notification,
    leaseUntil: string,
  ): Promise<{ entry: OutboxEntry; claimed: boolean }> {
    const existing = this.entries.get(notification.id);
    if (existing) return { entry: existing, claimed: false };
    const entry: OutboxEntry = { ...notification, delivery: 'PENDING', sendingUntil: leaseUntil };
    this.entries.set(entry.id, entry);
    return { entry, claimed: true };
  }

  async settle(
    id: string,
    outcome: { delivery: 'SENT'; messageId: string } | { delivery: 'FAILED'; failure: string },
    at: string,
  ): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no notification ${id}`);
    this.entries.set(id, { ...entry, ...outcome, settledAt: at });
  }

  async claim(id: string, now: string, until: string): Promise<'claimed' | 'busy' | 'settled'> {
    const entry = this.entries.get(id);
    if (entry?.delivery !== 'PENDING') return 'settled';
    if (entry.sendingUntil && entry.sendingUntil >= now) return 'busy';
    this.entries.set(id, { ...entry, sendingUntil: until });
    return 'claimed';
  }

  async release(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, sendingUntil: '' });
  }

  async list(): Promise<Page<OutboxEntry>> {
    return { items: [...this.entries.values()].reverse() };
  }
}

/** A mail service that answers each send with the next scripted outcome (sent, by default). */
export class ScriptedMailer implements Mailer {
  readonly sent: Array<{ to: string; subject: string; body: string; reference: string }> = [];
  constructor(private readonly script: Array<Error | 'sent'> = []) {}

  async send(message: { to: string; subject: string; body: string; reference: string }) {
    const next = this.script.shift() ?? 'sent';
    if (next instanceof Error) throw next;
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

/** The sandbox provider's ledger in memory, with the store's optimistic-version contract. */
export class InMemorySandboxLedger implements SandboxLedgerStore {
  private readonly records = new Map<string, SandboxAuthorization>();

  async get(id: string) {
    const record = this.records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async put(record: SandboxAuthorization, expected: number) {
    if ((this.records.get(record.authorizationId)?.version ?? 0) !== expected) return false;
    this.records.set(record.authorizationId, structuredClone(record));
    return true;
  }
}

/** Order `o1` placed on 2026-01-01 by a fixed customer; override the lines, payment or anything else. */
export function testOrder(overrides: Partial<OrderDraft> = {}): Order {
  return createOrder(
    {
      channel: 'web',
      customer: { email: 'a@example.com', name: 'A' },
      shippingAddress: { name: 'A', line1: 'x', city: 'y', postalCode: '1', country: 'BR' },
      lines: [{ sku: 'A', quantity: 2, unitPrice: 500 }],
      currency: 'BRL',
      payment: { method: 'pix' },
      ...overrides,
    },
    { id: 'o1', now: '2026-01-01T00:00:00.000Z' },
  );
}

/** Stores an order as placing it would (with its idempotency record). */
export async function storeOrder(orders: InMemoryOrders, order: Order): Promise<void> {
  await orders.create(order, { key: 'k', requestHash: 'h', result: order, createdAt: order.createdAt });
}
