import type { BulkJob } from '../domain/bulk-jobs';
import type { ChannelStockBuffers } from '../domain/channel-stock';
import type { ExecutionStatus, GraphAslDefinition, HistoryEvent } from '../domain/execution-graph';
import type { NetworkStock, ReservationLine, Shortage, StockLevel } from '../domain/inventory';
import type { KpiIncrement, KpiRow, OrderKpiMemory, SkuKpiRow } from '../domain/kpis';
import type { Location } from '../domain/location';
import type { Notification, OutboxEntry } from '../domain/notifications';
import type { Address, Order, OrderFilter, PaymentMethod } from '../domain/order';
import type { DomainEvent } from '../domain/order-events';
import type { OrderStatus } from '../domain/order-status';
import type { OrderReturn, ReturnPolicy, ReturnStatus, SkuReturnStats } from '../domain/returns';
import type { RoutingDecision, RoutingPolicy } from '../domain/routing';
import type { ShipmentRecord } from '../domain/shipment';
import type { Parcel, Quote, Zone } from '../domain/shipping';
import type { Subscription, SubscriptionStatus } from '../domain/subscriptions';
import type { TrackingStatus } from '../domain/tracking';
import type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookSubscription,
  WebhookSubscriptionStatus,
} from '../domain/webhook-types';

/** The orders list's filters: a domain type, which the repositories take. */
export type { OrderFilter };

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
  /** What a replay needs of the first request (an order's id, a stock change...). */
  result: unknown;
  createdAt: string;
  /** How long the key is kept; kept for good when absent. */
  retainSeconds?: number;
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

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface OrderRepository {
  /** Writes the order, its idempotency record and its external-id claim atomically. */
  create(order: Order, idempotency: IdempotencyRecord): Promise<void>;
  get(id: string): Promise<Order | undefined>;
  /** The order a channel placed under its own order id, read through the id's claim. */
  byExternalId(channel: string, externalOrderId: string): Promise<Order | undefined>;
  /** Replaces the order if its stored version is `order.version - 1`, else StaleOrderVersion. */
  update(order: Order): Promise<void>;
  /** Newest first. */
  list(filter: OrderFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>>;
  /** Orders per status placed in the days given (and of one channel). */
  countByStatus(filter: Pick<OrderFilter, 'from' | 'to' | 'channel'>): Promise<Record<OrderStatus, number>>;
}

/** Starts the per-order workflow; starting it twice for one order is harmless. */
export interface OrderWorkflow {
  start(order: Order): Promise<void>;
}

/** An order's workflow execution: its status, the definition it runs and its history so far. */
export interface OrderExecution {
  executionArn: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  definition: GraphAslDefinition;
  /** Oldest first; at most the first events of a very long history (`truncated` says so). */
  events: HistoryEvent[];
  /** True when later events were left out. */
  truncated: boolean;
}

export interface StoppedExecution {
  orderId: string;
  executionArn: string;
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  error?: string;
  cause?: string;
}

export interface OrderExecutions {
  /** The execution of the order's workflow, undefined if it never started. */
  ofOrder(orderId: string): Promise<OrderExecution | undefined>;
  /** Order executions that stopped without succeeding (failed, timed out, aborted), newest first. */
  stopped(limit: number): Promise<StoppedExecution[]>;
  /** Runs a stopped execution again from where it stopped (Step Functions' redrive). */
  redrive(orderId: string): Promise<void>;
}

/** The KPI projection's counters (shared/domain/kpis.ts) and what it remembers per order. */
/** One order's increments of a batch, counted together; `at` is the latest fact's time. */
export interface OrderKpiIncrements {
  orderId: string;
  increments: readonly KpiIncrement[];
  at: string;
}

export interface KpiStore {
  /** The events already counted for the order (by `once`) and what it remembers of it. */
  memory(orderId: string): Promise<OrderKpiMemory & { counted: string[] }>;
  /** The same for many orders at once (a batch's), by order id. */
  memories(orderIds: readonly string[]): Promise<Map<string, OrderKpiMemory & { counted: string[] }>>;
  /** Adds the increment unless its `once` was counted for the order already (then false). */
  apply(increment: KpiIncrement, at: string): Promise<boolean>;
  /**
   * Adds several orders' increments (a batch), each order's under one condition: none of its
   * `once`s was counted yet. The orders refused because one was are returned, and added nothing.
   */
  applyMany(orders: readonly OrderKpiIncrements[]): Promise<{ refused: string[] }>;
  rows(range: {
    from: string;
    to: string;
    channel?: string;
  }): Promise<{ rows: KpiRow[]; skuRows: SkuKpiRow[] }>;
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

/** A capture, void or refund against an authorization. */
export interface MoneyRequest {
  authorizationId: string;
  amount: number;
  currency: string;
  /** Derived from the order, shipment or return, so a retried step moves the money once. */
  idempotencyKey: string;
}

export type MoneyResult =
  | { outcome: 'done'; reference: string; amount: number }
  /** The provider refuses (over-capture, over-refund, wrong currency, a capture the issuer declined). */
  | { outcome: 'refused'; code: string; reason: string };

/**
 * The payment provider: authorize at confirmation, then capture what ships, void what will not,
 * refund what came back. Every call is idempotent under its key: the same key answers the same
 * result and moves no more money.
 */
export interface PaymentGateway {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
  capture(request: MoneyRequest): Promise<MoneyResult>;
  void(request: MoneyRequest): Promise<MoneyResult>;
  refund(request: MoneyRequest): Promise<MoneyResult>;
}

/** The provider did not answer (an outage, a timeout): the step is retried under the same key. */
export class PaymentGatewayUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentGatewayUnavailable';
  }
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
  /** Events of one or more orders (a batch); idempotent by eventId. */
  record(entries: readonly OrderActivity[]): Promise<void>;
  /** In sequence order. */
  list(orderId: string): Promise<OrderActivity[]>;
}

/** Raised by the inventory ledger when a stock row changed since it was read. */
export class StaleStock extends Error {
  constructor(readonly sku: string) {
    super(`Stock of ${sku} was changed concurrently`);
    this.name = 'StaleStock';
  }
}

export type ReservationResult = { reserved: true } | { reserved: false; shortages: Shortage[] };

/** Units an order holds: at network level, or at the location it was routed to. */
export interface HeldLine extends ReservationLine {
  locationId?: string;
}

/** Part of an order's network reservation moved onto one location. */
export interface RoutedShipment {
  locationId: string;
  lines: ReservationLine[];
}

export interface RouteRequest {
  shipments: RoutedShipment[];
  /** When; its UTC day is the one the daily capacity counts against. */
  at: string;
  /** Orders per day each location takes, when the policy enforces it. */
  dailyCapacity: Record<string, number>;
}

export type RouteResult =
  /** What the ledger holds for the order now: on a repeat, the plan an earlier attempt committed. */
  | { routed: true; shipments: RoutedShipment[] }
  /** Another order took the stock (or the capacity) meanwhile; nothing changed. */
  | { routed: false; conflict: string };

/** Raised when a shipment would take units its order does not hold at the location. */
export class NothingHeld extends Error {
  constructor(
    readonly orderId: string,
    readonly locationId: string,
  ) {
    super(`Order ${orderId} holds nothing at ${locationId}: nothing can ship from there`);
    this.name = 'NothingHeld';
  }
}

export interface InventoryLedger {
  level(sku: string, locationId: string): Promise<StockLevel | undefined>;
  /** The rows of these SKUs at these locations, read at once; places with no row are left out. */
  levelsAt(places: ReadonlyArray<{ sku: string; locationId: string }>): Promise<StockLevel[]>;
  /** Every location row of a SKU. */
  levels(sku: string): Promise<StockLevel[]>;
  network(skus: string[]): Promise<Map<string, NetworkStock>>;
  /**
   * Replaces a location's stock row, if it is still as read (`before`), and moves the SKU's network
   * row by the same amounts, in one transaction; refuses (ConflictError) a change that would leave
   * the network's reservations without stock. The idempotency record, when given, is written with it.
   */
  save(before: StockLevel | undefined, after: StockLevel, idempotency?: IdempotencyRecord): Promise<void>;
  /** The idempotency record `save` wrote under a key, if any. */
  recorded(key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * An edited order's stock, in one transaction: what it holds (routed to locations or not) is
   * taken off the locations and its network reservation becomes `lines`, the added units only if
   * the network has them. Refused (shortages) changes nothing; an order holding nothing is left so
   * (it reserves at its allocation). A repeat once done changes nothing more.
   */
  amend(orderId: string, lines: ReservationLine[]): Promise<ReservationResult>;
  /** Reserves every line at network level, all or nothing; a repeat for the same order is a no-op. */
  reserve(orderId: string, lines: ReservationLine[]): Promise<ReservationResult>;
  /**
   * Moves the order's network reservation onto locations in one transaction, each conditional on the
   * location's ATS (and capacity); units not routed are released. A repeat after success is a no-op.
   */
  route(orderId: string, request: RouteRequest): Promise<RouteResult>;
  /**
   * A shipment leaves: its units go from onHand and from the order's reservation at the location
   * (and at network level) in one transaction, and the location's record is marked shipped. A
   * repeat after success is a no-op (false); NothingHeld when the order holds nothing there.
   */
  ship(orderId: string, locationId: string, at: string): Promise<boolean>;
  /**
   * Moves what the order holds at one location onto another (a rejected shipment re-routed), with
   * its count against the locations' daily capacity, in one transaction conditional on the new
   * location's ATS (and capacity, when given). A repeat after success is a no-op.
   */
  moveRouted(
    orderId: string,
    move: { from: string; to: string; at: string; dailyCapacity?: number },
  ): Promise<RouteResult>;
  /** Orders routed to each location on a day. */
  routedOn(day: string): Promise<Map<string, number>>;
  /** Releases whatever the order holds, routed or not; a repeat is a no-op. */
  release(orderId: string): Promise<void>;
  /**
   * Lets go of units the order no longer wants (cancelled lines): what it holds (at network level,
   * or at `locationId` once routed, or across its locations when none is named) is cut to at most
   * `keep` per SKU and the rest goes back on sale, in one transaction. A repeat is a no-op; what
   * shipped is untouched.
   */
  holdAtMost(orderId: string, keep: ReservationLine[], locationId?: string): Promise<void>;
  reservationsOf(orderId: string): Promise<HeldLine[]>;
  /** SKUs with a stock row, in order, `limit` at a time after the SKU `after`; `next` is set while more follow. */
  skus(page: { limit: number; after?: string }): Promise<{ skus: string[]; next?: string }>;
  /** Stock rows by SKU then location, optionally only one location's or only those below their threshold. */
  list(
    filter: { locationId?: string; lowStock?: boolean },
    page: { limit: number; cursor?: string },
  ): Promise<Page<StockLevel>>;
  /** Everything the invariant check reads. */
  snapshot(): Promise<{
    levels: StockLevel[];
    network: NetworkStock[];
    reservations: Array<HeldLine & { orderId: string }>;
  }>;
}

export interface LocationRepository {
  /** Creates or replaces; says which. */
  put(location: Location): Promise<{ created: boolean }>;
  get(id: string): Promise<Location | undefined>;
  /** Every location (a network has tens to hundreds), by id. */
  list(): Promise<Location[]>;
}

/** An order waiting for stock, filed under each SKU it lacks, oldest first. */
export interface Backorder {
  orderId: string;
  /** When the order was placed: waiting orders are served in this order. */
  placedAt: string;
  skus: string[];
  taskToken: string;
  /** Set when one rejected shipment waits, not the whole order. */
  shipmentId?: string;
}

export interface BackorderBook {
  add(backorder: Backorder): Promise<void>;
  /** Orders and shipments waiting for a SKU, oldest placed first. */
  waitingFor(sku: string): Promise<Backorder[]>;
  /**
   * Takes the right to answer a wait, once: of the wakers that find the same order under several
   * SKUs, only the one that claims its wait answers it. False when claimed before or removed.
   */
  claim(backorder: Pick<Backorder, 'orderId' | 'shipmentId' | 'taskToken'>): Promise<boolean>;
  remove(backorder: Pick<Backorder, 'orderId' | 'placedAt' | 'skus' | 'shipmentId'>): Promise<void>;
}

/** One place in the workflow waiting for a held order's release: `waitId` names the step (and shipment). */
export interface ReleaseWait {
  waitId: string;
  taskToken: string;
}

/** The workflow's waits for a held order's release, so the release can answer every one of them. */
export interface ReleaseWaits {
  add(orderId: string, wait: ReleaseWait): Promise<void>;
  of(orderId: string): Promise<ReleaseWait[]>;
  remove(orderId: string, waitId: string): Promise<void>;
}

/** Answers a workflow task that waits on a token; false when the wait is over (timed out, stopped). */
export interface WorkflowCallbacks {
  succeed(taskToken: string, output: unknown): Promise<boolean>;
  /** Fails the waiting task with `error`, which the workflow's Catch can route on. */
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

/** Something ops should look at, raised by an event (stock low or out, later SLA breaches...). */
export interface Alert {
  /** The id of the event that raised it: an event delivered twice raises one alert. */
  id: string;
  type: string;
  raisedAt: string;
  subject: Record<string, unknown>;
  message: string;
}

export interface AlertLog {
  /** Idempotent by id. */
  record(alert: Alert): Promise<void>;
  /** Newest first. */
  list(page: { limit: number; cursor?: string }): Promise<Page<Alert>>;
}

/** Which subscriptions to list. */
export interface SubscriptionFilter {
  channel?: string;
  customerId?: string;
  status?: SubscriptionStatus;
}

/**
 * Subscriptions, and the sweep's index of when each must next be looked at (its reminder or its
 * run), kept in step with it: only what is due is read.
 */
export interface SubscriptionStore {
  /** False when one with this id exists. */
  create(subscription: Subscription): Promise<boolean>;
  get(id: string): Promise<Subscription | undefined>;
  /** Replaces `previous` (StaleSubscription if it changed meanwhile) and moves its due entry. */
  save(subscription: Subscription, previous: Subscription): Promise<void>;
  /** Ids of subscriptions due by `now`, soonest first. */
  due(now: string, limit: number): Promise<string[]>;
  /** Newest first. */
  list(filter: SubscriptionFilter, page: { limit: number; cursor?: string }): Promise<Page<Subscription>>;
}

export class StaleSubscription extends Error {
  constructor(readonly subscriptionId: string) {
    super(`Subscription ${subscriptionId} changed meanwhile`);
    this.name = 'StaleSubscription';
  }
}

/** Each channel's stock buffers, versioned like the policies. */
export interface StockBufferStore {
  current(channel: string): Promise<ChannelStockBuffers>;
  /** ConflictError unless `expectedVersion` is the current version. */
  save(buffers: Omit<ChannelStockBuffers, 'version'>, expectedVersion: number): Promise<ChannelStockBuffers>;
}

export interface RoutingPolicyStore {
  /** The policy in force; the product default until someone saves one. */
  current(): Promise<RoutingPolicy>;
  /** Saves `policy` as version current + 1; StaleOrderVersion-like ConflictError if someone saved first. */
  save(policy: Omit<RoutingPolicy, 'version'>, expectedVersion: number): Promise<RoutingPolicy>;
}

/** A routing decision as it was made for an order (the latest one; every attempt is in its notes). */
export interface StoredRoutingDecision extends RoutingDecision {
  decidedAt: string;
  /** How many plans were tried: another order taking the stock first makes routing try again. */
  attempts: number;
}

export interface RoutingDecisionStore {
  save(decision: StoredRoutingDecision): Promise<void>;
  get(orderId: string): Promise<StoredRoutingDecision | undefined>;
}

/** Raised when a shipment changed since it was read. */
export class StaleShipment extends Error {
  constructor(readonly shipmentId: string) {
    super(`Shipment ${shipmentId} was changed concurrently`);
    this.name = 'StaleShipment';
  }
}

/** The workflow waits a shipment is in: for the warehouse, then for the carrier. */
export type ShipmentWait = 'pick' | 'delivery';

export interface ShipmentWaitToken {
  wait: ShipmentWait;
  taskToken: string;
}

export interface ShipmentRepository {
  /**
   * Creates the shipment, with the task token its workflow waits with if given (one write);
   * false when it exists already (a retried or resumed task), which then keeps its old token.
   */
  create(shipment: ShipmentRecord, waitToken?: ShipmentWaitToken): Promise<boolean>;
  get(id: string): Promise<ShipmentRecord | undefined>;
  /** Every shipment of an order, by id. */
  ofOrder(orderId: string): Promise<ShipmentRecord[]>;
  /**
   * Replaces it if its stored version is `shipment.version - 1` (else StaleShipment).
   * `labelled`: this write gives it its tracking number, indexed with it for carriers' updates
   * (once: later writes keep the number). `delivered`: this write is the one that delivered it,
   * so its units count as delivered per SKU (in the same transaction: once). `waitToken`: filed
   * in the same write (no write of its own).
   */
  update(
    shipment: ShipmentRecord,
    options?: { labelled?: boolean; delivered?: boolean; waitToken?: ShipmentWaitToken },
  ): Promise<void>;
  byTrackingNumber(carrier: string, trackingNumber: string): Promise<ShipmentRecord | undefined>;
  /** The task token the workflow waits with, kept beside the shipment. */
  setWaitToken(id: string, wait: ShipmentWait, taskToken: string): Promise<void>;
  waitToken(id: string, wait: ShipmentWait): Promise<string | undefined>;
}

export interface LabelRequest {
  shipmentId: string;
  quote: Quote;
  from: { city?: string; region?: string; postalCode?: string; country: string };
  to: Address;
  parcels: Parcel[];
}

/** The carriers the OMS ships with: rate cards, labels, and their tracking vocabularies. */
export interface CarrierNetwork {
  quotes(request: { zone: Zone; billableGrams: number }): Promise<Quote[]>;
  /** Buys the label; the same shipment id gets the same label (idempotent). */
  createLabel(request: LabelRequest): Promise<{ trackingNumber: string; labelRef: string }>;
  /** The carrier's status code in the canonical set, or undefined for an unknown carrier or code. */
  canonicalStatus(carrier: string, code: string): TrackingStatus | undefined;
}

/** The secrets each carrier signs its webhooks with (more than one while a secret is rotated). */
export interface CarrierSecrets {
  /** Empty for a carrier that is not configured. */
  of(carrier: string): Promise<readonly string[]>;
}

/** Remembers the signatures of applied posts within the tolerance window, so a captured post cannot be replayed. */
/** Where notifications are filed before they go out and settled after; GET /notifications reads it. */
export interface NotificationOutbox {
  /**
   * Files the notification PENDING and claimed until `leaseUntil` (one write for the usual case:
   * the first delivery of its event sends it); the entry on file, unclaimed, when its id was
   * filed before.
   */
  file(notification: Notification, leaseUntil: string): Promise<{ entry: OutboxEntry; claimed: boolean }>;
  settle(
    id: string,
    outcome: { delivery: 'SENT'; messageId: string } | { delivery: 'FAILED'; failure: string },
    at: string,
  ): Promise<void>;
  /**
   * Takes the right to send a PENDING notification until `until` (a lease, so a sender that
   * died does not hold it for ever): `busy` when another delivery holds it, `settled` when it
   * was already sent or refused.
   */
  claim(id: string, now: string, until: string): Promise<'claimed' | 'busy' | 'settled'>;
  /** Gives the lease back after a send that failed for a passing reason. */
  release(id: string): Promise<void>;
  /** Newest first. */
  list(page: { limit: number; cursor?: string }): Promise<Page<OutboxEntry>>;
}

/** Another delivery of the same event is sending this notification: retry later (never send twice). */
export class NotificationInFlight extends Error {
  override readonly name = 'NotificationInFlight';
}

/** Sends one email (SES on AWS; the local cloud's SES endpoint locally). */
export interface Mailer {
  /** Throws MessageRejected when the mail service refuses the message for good. */
  send(message: { to: string; subject: string; body: string; reference: string }): Promise<{
    messageId: string;
  }>;
}

/** The mail service refused a message for a reason that sending it again cannot fix. */
export class MessageRejected extends Error {
  override readonly name = 'MessageRejected';
}

/** A message a delivery gave up on after every retry, as ops read it from a dead-letter queue. */
export interface DeadLetter {
  /** The queue's message id. */
  id: string;
  queue: string;
  failedAt: string;
  /**
   * Which gave up: `delivery` (EventBridge could not hand the event to its target) or
   * `function` (the function was invoked and failed on every attempt Lambda made).
   */
  stage: 'delivery' | 'function';
  /** The rule that matched the event (delivery failures). */
  rule?: string;
  /** ARN of the function (or other target) the payload was for; absent when the message names none. */
  target?: string;
  attempts?: number;
  error: { type?: string; message: string };
  /** What the target was to receive: redriving sends exactly this. */
  payload: unknown;
}

export interface LeasedDeadLetter extends DeadLetter {
  /** Settles the lease: remove when redriven, put back when not. */
  receipt: string;
}

/** The dead-letter queues, one per function fed by events, by the function's name. */
export interface DeadLetterQueues {
  names(): readonly string[];
  /** How many a queue holds and a look at its oldest letters; nothing is taken. */
  peek(queue: string, limit: number): Promise<{ approximateCount: number; letters: DeadLetter[] }>;
  /** Takes up to `max` letters out of sight for `seconds`; each comes back unless removed. */
  lease(queue: string, max: number, seconds: number): Promise<LeasedDeadLetter[]>;
  remove(queue: string, receipt: string): Promise<void>;
  putBack(queue: string, receipt: string): Promise<void>;
  /** Sends a payload back to the queue a batched consumer reads (its letters' way back); false for another consumer. */
  sendToSource(queue: string, payload: unknown): Promise<boolean>;
}

/** Invokes a function asynchronously, as EventBridge does: its retries and dead-letter queue apply again. */
export interface FunctionInvoker {
  invokeAsync(functionArn: string, payload: unknown): Promise<void>;
}

/** Raised when a return changed since it was read. */
export class StaleReturn extends Error {
  constructor(readonly returnId: string) {
    super(`Return ${returnId} was changed concurrently`);
    this.name = 'StaleReturn';
  }
}

/** The workflow waits a return is in: for ops' decision, for the parcel to arrive, for ops to retry a failed step. */
export type ReturnWait = 'decision' | 'receipt' | 'retry';

export interface ReturnFilter {
  status?: ReturnStatus;
  orderId?: string;
}

export interface ReturnRepository {
  /**
   * Writes a new return with its idempotency record, atomically: IdempotencyKeyUsed when the key
   * was used, false when the id is taken (another return of the order got it first).
   */
  create(rma: OrderReturn, idempotency: IdempotencyRecord): Promise<boolean>;
  get(id: string): Promise<OrderReturn | undefined>;
  /** Every return of an order, by id. */
  ofOrder(orderId: string): Promise<OrderReturn[]>;
  /** Per SKU delivered and returned units (counted with the writes that deliver a shipment and open a return). */
  stats(page: { limit: number; cursor?: string }): Promise<Page<SkuReturnStats>>;
  /** Replaces it if its stored version is `rma.version - 1` (else StaleReturn); indexes its label's tracking number. */
  update(rma: OrderReturn): Promise<void>;
  /** Newest first. */
  list(filter: ReturnFilter, page: { limit: number; cursor?: string }): Promise<Page<OrderReturn>>;
  byTrackingNumber(carrier: string, trackingNumber: string): Promise<OrderReturn | undefined>;
  setWaitToken(id: string, wait: ReturnWait, taskToken: string): Promise<void>;
  waitToken(id: string, wait: ReturnWait): Promise<string | undefined>;
}

/** Starts a return's workflow (execution name = return id); starting it twice is harmless. */
export interface ReturnWorkflow {
  start(rma: OrderReturn): Promise<void>;
}

export interface ReturnPolicyStore {
  current(): Promise<ReturnPolicy>;
  /** Saves `policy` as version current + 1; ConflictError if someone saved first. */
  save(policy: Omit<ReturnPolicy, 'version'>, expectedVersion: number): Promise<ReturnPolicy>;
}

/** Webhook subscriptions, their deliveries and the per-stream sender lease, in the table. */
export interface WebhookStore {
  createSubscription(subscription: WebhookSubscription): Promise<void>;
  getSubscription(id: string): Promise<WebhookSubscription | undefined>;
  /** Every subscription, oldest first (a store has a handful). */
  listSubscriptions(): Promise<WebhookSubscription[]>;
  /** The subscription after the change; undefined when there is none. */
  setStatus(
    id: string,
    change: { status: WebhookSubscriptionStatus; reason?: string; at: string },
  ): Promise<WebhookSubscription | undefined>;
  deleteSubscription(id: string): Promise<boolean>;
  /** Files a delivery; false when this event was filed for this subscription before. */
  enqueue(delivery: Omit<WebhookDelivery, 'id'>): Promise<boolean>;
  /** The stream's deliveries not yet delivered (pending, or failed and given up), in sending order. */
  undelivered(subscriptionId: string, stream: string): Promise<WebhookDelivery[]>;
  getDelivery(subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** Stores its status and attempts. */
  saveDelivery(delivery: WebhookDelivery): Promise<void>;
  /** Newest first, optionally only those in one status. */
  listDeliveries(
    subscriptionId: string,
    page: { limit: number; cursor?: string; status?: WebhookDeliveryStatus },
  ): Promise<Page<WebhookDelivery>>;
  streamsWithUndelivered(subscriptionId: string): Promise<string[]>;
  /**
   * Takes the stream for one sender until `leaseUntil`. False when another sender holds it, or,
   * unless `asRetry`, when its retries own it (a failing subscriber is not hammered by every event).
   */
  takeStream(
    subscriptionId: string,
    stream: string,
    take: { now: string; leaseUntil: string; asRetry: boolean },
  ): Promise<boolean>;
  /** Gives the stream back; `retrying`: its retries own it from now on. */
  releaseStream(subscriptionId: string, stream: string, retrying: boolean): Promise<void>;
}

/** One HTTP POST to a subscriber. Never throws for the subscriber's failure: it says what happened. */
export interface WebhookSender {
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ ok: boolean; statusCode?: number; error?: string; ms: number }>;
}

/** The retries of a stream whose subscriber failed (Step Functions on AWS: backoff for 24 h). */
export interface WebhookRetries {
  /** Idempotent per `key`: the same key starts one run. */
  start(subscriptionId: string, stream: string, key: string): Promise<void>;
}

/** Bulk jobs in the table. */
export interface BulkJobStore {
  /** False when a job with this id exists (the same Idempotency-Key again). */
  create(job: BulkJob): Promise<boolean>;
  get(id: string): Promise<BulkJob | undefined>;
  /** Replaces it if its stored version is `job.version - 1` (one execution works a job). */
  save(job: BulkJob): Promise<void>;
  /** Newest first. */
  list(page: { limit: number; cursor?: string }): Promise<Page<BulkJob>>;
}

/** Works a job through its pages (a Step Functions execution per job on AWS). */
export interface BulkJobRunner {
  start(job: BulkJob): Promise<void>;
}
