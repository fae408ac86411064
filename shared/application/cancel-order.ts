import type { Principal } from '../domain/access';
import { type Cancellation, type CancelRequest, openLines, planCancellation } from '../domain/cancellation';
import { ConflictError } from '../domain/errors';
import type { Order } from '../domain/order';
import { orderCancelledEvent } from '../domain/order-events';
import { cutShipment, type ShipmentRecord, ShipmentStatus } from '../domain/shipment';
import { ShipmentEventType, shipmentEvent } from '../domain/shipment-events';
import { wakeBackorderWaits } from './backorders';
import { advanceIfAllShipped, answerPickWait } from './fulfilment';
import { getOrder } from './get-order';
import { answerReleaseWaits } from './holds';
import { voidCancelled, voidOutstanding } from './payments';
import {
  type BackorderBook,
  type Clock,
  type EventPublisher,
  type InventoryLedger,
  type OrderRepository,
  type PaymentGateway,
  type ReleaseWaits,
  type ShipmentRepository,
  StaleOrderVersion,
  StaleShipment,
  type WorkflowCallbacks,
} from './ports';
import { requestHash, requireSameRequest } from './request-hash';

export interface CancelOrderDeps {
  orders: OrderRepository;
  releaseWaits: ReleaseWaits;
  shipments: ShipmentRepository;
  ledger: InventoryLedger;
  backorders: BackorderBook;
  callbacks: WorkflowCallbacks;
  payments: PaymentGateway;
  events: EventPublisher;
  clock: Clock;
}

export interface CancelOrderInput {
  orderId: string;
  request: CancelRequest;
  principal: Principal;
  idempotencyKey: string;
}

export interface CancelOrderResult {
  order: Order;
  cancellation: Cancellation;
  /** The same request (key and body) was answered before; nothing more was cancelled. */
  replayed: boolean;
}

/** A racing writer (the workflow, a warehouse report) changed the order or a shipment: plan again. */
const PLAN_ATTEMPTS = 8;

/**
 * Cancels the whole order or some units of its lines, up to the moment their shipment starts to
 * leave (then 409: open a return). The shipment records are cut first, each conditional on its
 * version, so a warehouse's packed report or ShipShipment racing this either lands first (and the
 * cut is refused or re-planned) or finds the shipment cancelled; the order is written next (the
 * commit point). Then, all idempotent and all re-run by a repeat of the request: the units go
 * back on sale, the warehouse is asked to stop, the waits of the workflow end (a cancelled
 * shipment's branch stops, a backorder wait looks again), the payment's hold is let go, and the
 * events go out. The same Idempotency-Key with the same body answers the same cancellation.
 */
export async function cancelOrder(
  deps: CancelOrderDeps,
  input: CancelOrderInput,
): Promise<CancelOrderResult> {
  const key = `${input.principal.subject}:${input.idempotencyKey}`;
  const hash = requestHash(input.request);
  const id = `${input.orderId}-X${requestHash(key).slice(0, 10)}`;
  for (let attempt = 1; ; attempt++) {
    const order = await getOrder(deps, input.orderId, input.principal);
    const earlier = order.cancellations?.find((c) => c.key === key);
    if (earlier) {
      requireSameRequest(earlier, hash, input.idempotencyKey);
      return { order: await settle(deps, order, earlier), cancellation: earlier, replayed: true };
    }
    const records = order.shipments ? await deps.shipments.ofOrder(order.id) : [];
    const plan = planCancellation(order, records, input.request, {
      id,
      by: input.principal.subject,
      key,
      requestHash: hash,
      at: deps.clock.now(),
    });
    try {
      await cutRecords(deps, records, plan.cancellation);
      await deps.orders.update(plan.order);
    } catch (error) {
      const raced = error instanceof StaleOrderVersion || error instanceof StaleShipment;
      if (!raced || attempt >= PLAN_ATTEMPTS) throw error;
      continue;
    }
    return {
      order: await settle(deps, plan.order, plan.cancellation),
      cancellation: plan.cancellation,
      replayed: false,
    };
  }
}

/** Applies the cancellation's cuts to the shipment records that exist (a record created later follows the order's plan). */
async function cutRecords(
  deps: Pick<CancelOrderDeps, 'shipments' | 'clock'>,
  records: ShipmentRecord[],
  cancellation: Cancellation,
): Promise<ShipmentRecord[]> {
  const cut: ShipmentRecord[] = [];
  for (const planned of cancellation.shipments) {
    const record = records.find((r) => r.id === planned.shipmentId);
    if (!record) continue;
    const applied = cutShipment(
      record,
      { cancellationId: cancellation.id, remaining: planned.remaining },
      deps.clock.now(),
    );
    if (applied.changed) await deps.shipments.update(applied.shipment);
    cut.push(applied.shipment);
  }
  return cut;
}

/** Everything after the commit; each step safe to run again. Returns the order as it now stands. */
async function settle(deps: CancelOrderDeps, order: Order, cancellation: Cancellation): Promise<Order> {
  // Read again, not taken from the plan: a pick request may have created a record since, uncut.
  const records = await cutRecords(
    deps,
    order.shipments ? await deps.shipments.ofOrder(order.id) : [],
    cancellation,
  );
  await letGoOfStock(deps, order, cancellation);
  // A record exists once its warehouse was asked to pick: each cut one is told to stop.
  await deps.events.publish([
    orderCancelledEvent(order, cancellation),
    ...records.map((r) =>
      shipmentEvent(r, ShipmentEventType.CANCEL_REQUESTED, order.correlationId, '-cancel'),
    ),
  ]);
  await endWaits(deps, order, cancellation, records);
  const paid = cancellation.whole
    ? await voidOutstanding(deps, order.id)
    : await voidCancelled(deps, order.id, cancellation);
  // The shipments left under way may all have gone already (the cancelled one was the last to leave).
  return cancellation.whole ? paid : advanceIfAllShipped(deps, order.id);
}

/** The cancelled units back on sale: at the cut shipments' locations once routed, else at network level. */
async function letGoOfStock(deps: CancelOrderDeps, order: Order, cancellation: Cancellation): Promise<void> {
  if (cancellation.whole) {
    await deps.ledger.release(order.id);
    return;
  }
  if (cancellation.shipments.length === 0) {
    await deps.ledger.holdAtMost(order.id, openLines(order));
    return;
  }
  for (const cut of cancellation.shipments) {
    await deps.ledger.holdAtMost(order.id, cut.remaining, cut.locationId);
  }
}

/**
 * Ends the waits the cancellation makes pointless: a cancelled shipment's pick wait (its branch
 * stops), a rejected shipment's wait for stock, and the order's own backorder wait (allocation
 * looks again: with fewer units it may now be filled; cancelled, the workflow closes).
 */
async function endWaits(
  deps: CancelOrderDeps,
  order: Order,
  cancellation: Cancellation,
  records: ShipmentRecord[],
): Promise<void> {
  // An order-level wait exists only while the order is backordered; a shipment's, while it waits re-routing.
  const cancelled = new Set(records.filter((r) => r.status === ShipmentStatus.CANCELLED).map((r) => r.id));
  for (const id of cancelled) {
    const token = await deps.shipments.waitToken(id, 'pick');
    if (token) await answerPickWait(deps.callbacks, token, { outcome: 'cancelled' });
  }
  await wakeBackorderWaits(
    deps,
    order,
    (wait) => wait.shipmentId === undefined || cancelled.has(wait.shipmentId),
    `cancellation ${cancellation.id}`,
  );
  // Steps parked on a release wait (the order was held) run again and find it cancelled.
  await answerReleaseWaits(deps, order.id);
}

/** The workflow's own cancellation (a backorder that waited too long); nothing happens when it is past cancelling. */
export async function cancelExpiredBackorder(
  deps: CancelOrderDeps,
  input: { orderId: string; reason: string },
) {
  const order = await getOrder(deps, input.orderId);
  const workflow: Principal = { subject: 'oms', ops: true, channels: [], locations: [] };
  try {
    const { order: cancelled } = await cancelOrder(deps, {
      orderId: order.id,
      request: { reason: 'out_of_stock', note: input.reason },
      principal: workflow,
      idempotencyKey: 'backorder-expired',
    });
    return { orderId: cancelled.id, status: cancelled.status };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return { orderId: order.id, status: order.status };
  }
}
