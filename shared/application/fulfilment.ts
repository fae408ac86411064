import { type Principal, requireLocation } from '../domain/access';
import { livePlannedShipments } from '../domain/cancellation';
import { InvalidStateError, NotFoundError, UnprocessableError } from '../domain/errors';
import { OrderOnHold, stopIfHeld } from '../domain/hold';
import { type Order, transitionOrder } from '../domain/order';
import { awaitsRouting, OrderEdited } from '../domain/order-edits';
import { OrderEventType as OrderEvents, type OrderEventType, orderEvent } from '../domain/order-events';
import { canTransition, type OrderStatus } from '../domain/order-status';
import {
  applyWarehouseEvent,
  cutShipment,
  markShipped,
  requestPick as newPickRequest,
  ShipmentCancelled,
  type ShipmentRecord,
  ShipmentStatus,
  ShipmentStop,
  startShipping,
  stopShipping,
  type WarehouseEvent,
} from '../domain/shipment';
import { ShipmentEventType, shipmentEvent } from '../domain/shipment-events';
import { billableGrams, chooseQuote, zoneOf } from '../domain/shipping';
import { getOrder } from './get-order';
import { rewriteOrder } from './order-writes';
import { captureShipment, PaymentCaptureFailed } from './payments';
import {
  type CarrierNetwork,
  type Clock,
  type EventPublisher,
  type InventoryLedger,
  type LocationRepository,
  type OrderRepository,
  type PaymentGateway,
  type ShipmentRepository,
  StaleShipment,
  type WorkflowCallbacks,
} from './ports';

export interface FulfilmentDeps {
  orders: OrderRepository;
  shipments: ShipmentRepository;
  ledger: InventoryLedger;
  locations: LocationRepository;
  carriers: CarrierNetwork;
  callbacks: WorkflowCallbacks;
  events: EventPublisher;
  clock: Clock;
}

/**
 * Moves the order to `to` when `when(order)` says so and the move is legal; re-reads and tries
 * again when another shipment's update got there first. Returns the order as stored.
 */
export async function advanceOrder(
  deps: Pick<FulfilmentDeps, 'orders' | 'events' | 'clock'>,
  orderId: string,
  to: OrderStatus,
  event: OrderEventType,
  when: (order: Order) => boolean,
  reason?: string,
  known?: Order,
): Promise<Order> {
  const { order, written } = await rewriteOrder(
    deps,
    orderId,
    (current) =>
      current.status === to || !canTransition(current.status, to) || !when(current)
        ? undefined
        : transitionOrder(current, to, deps.clock.now(), reason === undefined ? {} : { reason }),
    undefined,
    known,
  );
  if (written) await deps.events.publish([orderEvent(order, event)]);
  return order;
}

async function shipmentOf(deps: Pick<FulfilmentDeps, 'shipments'>, id: string): Promise<ShipmentRecord> {
  const shipment = await deps.shipments.get(id);
  if (!shipment) throw new NotFoundError(`Shipment ${id} does not exist`, { shipmentId: id });
  return shipment;
}

/** The correlation id its events carry: the shipment's own, or (a record made before it kept one) its order's. */
export async function correlationOf(
  deps: Pick<FulfilmentDeps, 'orders'>,
  shipment: ShipmentRecord,
): Promise<string> {
  return shipment.correlationId ?? (await getOrder(deps, shipment.orderId)).correlationId;
}

/** What the pick/pack wait ends with: ship it, re-route it, or stop its branch. */
export type PickOutcome =
  | { outcome: 'packed' }
  | { outcome: 'rejected'; reason?: string }
  | { outcome: 'cancelled' };

export const pickOutcome = (shipment: ShipmentRecord): PickOutcome | undefined =>
  shipment.status === ShipmentStatus.CANCELLED
    ? { outcome: 'cancelled' }
    : shipment.status === ShipmentStatus.REJECTED
      ? { outcome: 'rejected', ...(shipment.rejectionReason ? { reason: shipment.rejectionReason } : {}) }
      : shipment.status === ShipmentStatus.PICK_REQUESTED || shipment.status === ShipmentStatus.PICKED
        ? undefined
        : { outcome: 'packed' };

/**
 * Ends a pick wait: packed goes on to ship; a rejected or cancelled shipment fails the wait
 * under its ShipmentStop name, which the workflow catches (re-route, or end the branch).
 */
export function answerPickWait(
  callbacks: WorkflowCallbacks,
  taskToken: string,
  outcome: PickOutcome,
): Promise<boolean> {
  switch (outcome.outcome) {
    case 'packed':
      return callbacks.succeed(taskToken, outcome);
    case 'rejected':
      return callbacks.fail(taskToken, ShipmentStop.REJECTED, outcome.reason ?? 'rejected by the warehouse');
    case 'cancelled':
      return callbacks.fail(taskToken, ShipmentStop.CANCELLED, 'its units were cancelled');
  }
}

/**
 * Workflow task (waits on `taskToken`): asks the shipment's warehouse to pick it
 * (ShipmentPickRequested) and keeps the token until the warehouse reports packed or rejected.
 * Run again (retry, resume after a restart), it files the new token and answers at once if the
 * warehouse has already answered.
 */
export async function requestPick(
  deps: Pick<FulfilmentDeps, 'orders' | 'shipments' | 'events' | 'callbacks' | 'clock'>,
  input: { orderId: string; shipmentId: string; taskToken: string; slaHours: number },
): Promise<void> {
  const order = await getOrder(deps, input.orderId);
  const planned = order.shipments?.find((s) => s.id === input.shipmentId);
  if (!planned) throw new NotFoundError(`Order ${order.id} has no shipment ${input.shipmentId}`);
  if (!planned.cancelled) stopIfHeld(order);
  // Cancelled before its warehouse was asked: nothing to pick.
  if (planned.cancelled) {
    await answerPickWait(deps.callbacks, input.taskToken, { outcome: 'cancelled' });
    return;
  }
  const fresh = newPickRequest(
    { ...planned, orderId: order.id, correlationId: order.correlationId },
    deps.clock.now(),
    input.slaHours,
  );
  const pickToken = { wait: 'pick', taskToken: input.taskToken } as const;
  const created = await deps.shipments.create(fresh, pickToken);
  if (!created) await deps.shipments.setWaitToken(fresh.id, 'pick', input.taskToken);
  const now = await advanceOrder(
    deps,
    order.id,
    'FULFILLING',
    OrderEvents.FULFILLING,
    (o) => o.status === 'ROUTED',
  );
  // A cancellation that cut the plan while this record was being created had no record to cut.
  const shipment = await followPlan(deps, created ? fresh : await shipmentOf(deps, fresh.id), now);
  // Published again on a re-run too (same event id): a crash after the create must not leave the
  // warehouse untold, and consumers deduplicate by id.
  if (shipment.status === ShipmentStatus.PICK_REQUESTED) {
    await deps.events.publish([
      shipmentEvent(shipment, ShipmentEventType.PICK_REQUESTED, order.correlationId),
    ]);
  }
  const answered = pickOutcome(shipment);
  if (answered) await answerPickWait(deps.callbacks, input.taskToken, answered);
}

/** The shipment record cut as the order's plan was (every cancellation of the order applied to it). */
async function followPlan(
  deps: Pick<FulfilmentDeps, 'shipments' | 'clock'>,
  shipment: ShipmentRecord,
  order: Order,
): Promise<ShipmentRecord> {
  const planned = order.shipments?.find((s) => s.id === shipment.id);
  const last = order.cancellations?.at(-1);
  if (!planned || !last || shipment.cancellations?.includes(last.id)) return shipment;
  const same = JSON.stringify(planned.lines) === JSON.stringify(shipment.lines);
  if (same && !planned.cancelled) return shipment;
  const { shipment: cut } = cutShipment(
    shipment,
    { cancellationId: last.id, remaining: planned.cancelled ? [] : planned.lines },
    deps.clock.now(),
  );
  await deps.shipments.update(cut);
  return cut;
}

/** Workflow task after the SLA passed without an answer: ShipmentSlaBreached (ops get an alert). */
export async function reportPickSlaBreach(
  deps: Pick<FulfilmentDeps, 'orders' | 'shipments' | 'events' | 'clock'>,
  input: { shipmentId: string },
): Promise<void> {
  const shipment = await shipmentOf(deps, input.shipmentId);
  if (pickOutcome(shipment)) return;
  const order = await getOrder(deps, shipment.orderId);
  // Each breach is its own event: the wait starts a new SLA period after it.
  await deps.events.publish([
    shipmentEvent(shipment, ShipmentEventType.SLA_BREACHED, order.correlationId, `-sla-${deps.clock.now()}`),
  ]);
}

const warehouseEventType = {
  picked: ShipmentEventType.PICKED,
  packed: ShipmentEventType.PACKED,
  rejected: ShipmentEventType.REJECTED,
} as const;

/**
 * A warehouse reports on a shipment (POST /shipments/{id}/events). Packed or rejected ends the
 * workflow's pick wait; the same report twice changes nothing but answers the wait again, so a
 * report whose callback was lost can simply be re-sent.
 */
export async function recordWarehouseEvent(
  deps: Pick<FulfilmentDeps, 'orders' | 'shipments' | 'events' | 'callbacks' | 'clock'>,
  shipmentId: string,
  event: WarehouseEvent,
  reporter: Principal,
): Promise<ShipmentRecord> {
  const current = await shipmentOf(deps, shipmentId);
  requireLocation(reporter, current.locationId);
  const { shipment, changed } = applyWarehouseEvent(current, event, deps.clock.now());
  if (changed) {
    await deps.shipments.update(shipment);
    await deps.events.publish([
      shipmentEvent(shipment, warehouseEventType[event.type], await correlationOf(deps, shipment)),
    ]);
  }
  const outcome = pickOutcome(shipment);
  const token = outcome ? await deps.shipments.waitToken(shipment.id, 'pick') : undefined;
  if (outcome && token) await answerPickWait(deps.callbacks, token, outcome);
  return shipment;
}

/**
 * Workflow task: rate-shops the packed shipment over the carriers, buys the label, and takes its
 * units from the location (onHand and reservation together); SHIPPED, ShipmentShipped, and the
 * order SHIPPED once every shipment is. Safe to repeat.
 */
export async function shipShipment(
  deps: Pick<
    FulfilmentDeps,
    'orders' | 'shipments' | 'ledger' | 'locations' | 'carriers' | 'events' | 'clock'
  > & { payments: PaymentGateway },
  input: { shipmentId: string; deliveryToken?: string },
) {
  let shipment = await shipmentOf(deps, input.shipmentId);
  // Read once and handed on: the capture and the SHIPPED write start from it (both versioned).
  let order = await getOrder(deps, shipment.orderId);
  let labelledNow = false;
  if (shipment.status === ShipmentStatus.CANCELLED) {
    return { shipmentId: shipment.id, status: shipment.status, cancelled: true, labelledNow };
  }
  if (shipment.status === ShipmentStatus.PACKED) {
    stopIfHeld(order);
    if (shipment.shippingStartedAt === undefined) {
      // Taken first, so a cancellation racing this step either lands before (and it stops here:
      // the write below is refused, the retry finds CANCELLED) or is refused itself.
      shipment = startShipping(shipment, deps.clock.now());
      try {
        await deps.shipments.update(shipment);
      } catch (error) {
        if (error instanceof StaleShipment) return shipShipment(deps, input);
        throw error;
      }
    }
    // Paid before it leaves: a refused capture stops here, with no label bought and the stock
    // still held; the order goes ON_HOLD for ops and this branch waits for its release (then
    // captures again, under a new key) or its cancellation.
    try {
      order = await captureShipment(deps, order.id, shipment, order);
    } catch (error) {
      if (!(error instanceof PaymentCaptureFailed)) throw error;
      await deps.shipments.update(stopShipping(shipment, deps.clock.now()));
      await advanceOrder(
        deps,
        order.id,
        'ON_HOLD',
        OrderEvents.ON_HOLD,
        () => true,
        `payment: ${error.message}`,
      );
      throw new OrderOnHold(order.id);
    }
    const location = await deps.locations.get(shipment.locationId);
    if (!location) throw new NotFoundError(`Location ${shipment.locationId} does not exist`);
    const parcels = shipment.packages ?? [];
    const quotes = await deps.carriers.quotes({
      zone: zoneOf(location.address, order.shippingAddress),
      billableGrams: billableGrams(parcels),
    });
    const quote = chooseQuote(quotes, order.shippingMethod);
    if (!quote) {
      throw new UnprocessableError(
        `No carrier offers ${order.shippingMethod} shipping for shipment ${shipment.id}`,
      );
    }
    const label = await deps.carriers.createLabel({
      shipmentId: shipment.id,
      quote,
      from: location.address,
      to: order.shippingAddress,
      parcels,
    });
    const at = deps.clock.now();
    await deps.ledger.ship(order.id, shipment.locationId, at);
    shipment = markShipped(shipment, { quote, ...label }, at);
    await deps.shipments.update(shipment, {
      labelled: true,
      ...(input.deliveryToken ? { waitToken: { wait: 'delivery', taskToken: input.deliveryToken } } : {}),
    });
    await deps.events.publish([shipmentEvent(shipment, ShipmentEventType.SHIPPED, order.correlationId)]);
    labelledNow = true;
  } else if (shipment.trackingNumber === undefined) {
    throw new InvalidStateError(
      `Shipment ${shipment.id} is ${shipment.status}: only a packed shipment ships`,
    );
  }
  await advanceIfAllShipped(deps, order.id, order);
  return {
    shipmentId: shipment.id,
    status: shipment.status,
    trackingNumber: shipment.trackingNumber,
    cancelled: false,
    labelledNow,
  };
}

/** SHIPPED once every shipment still under way left (an order on hold stays with ops until released). */
export async function advanceIfAllShipped(
  deps: Pick<FulfilmentDeps, 'orders' | 'shipments' | 'events' | 'clock'>,
  orderId: string,
  known?: Order,
): Promise<Order> {
  const all = await deps.shipments.ofOrder(orderId);
  const shipped = (s: ShipmentRecord) => s.trackingNumber !== undefined;
  return advanceOrder(
    deps,
    orderId,
    'SHIPPED',
    OrderEvents.SHIPPED,
    (o) =>
      o.status !== 'ON_HOLD' &&
      livePlannedShipments(o, all).length > 0 &&
      livePlannedShipments(o, all).every((planned) => all.some((s) => s.id === planned.id && shipped(s))),
    undefined,
    known,
  );
}

const deliveryEnded = (shipment: ShipmentRecord) =>
  shipment.status === ShipmentStatus.DELIVERED || shipment.status === ShipmentStatus.RETURNED_TO_SENDER;

/**
 * Workflow task (waits on `taskToken`): ships the packed shipment, then waits for the carrier's
 * final update on the same token. One state for both: ops see it shipped by its tracking number
 * and the task's start, and the order costs one state transition less per shipment. A shipment
 * cancelled before it left fails the task with ShipmentCancelled (its branch ends).
 */
export async function shipAndAwaitDelivery(
  deps: Parameters<typeof shipShipment>[0] & Pick<FulfilmentDeps, 'callbacks'>,
  input: { shipmentId: string; taskToken: string },
) {
  const shipped = await shipShipment(deps, { shipmentId: input.shipmentId, deliveryToken: input.taskToken });
  if (shipped.cancelled) throw new ShipmentCancelled(input.shipmentId);
  // Labelled by this run: the token went in with the tracking number, before any carrier update
  // could name it. A re-run (retry, resume) files its new token and looks for an update it missed.
  if (!shipped.labelledNow) await awaitDelivery(deps, input);
}

/** Files the token the carrier's final update will answer (answered at once if it came already). */
async function awaitDelivery(
  deps: Pick<FulfilmentDeps, 'shipments' | 'callbacks'>,
  input: { shipmentId: string; taskToken: string },
) {
  await deps.shipments.setWaitToken(input.shipmentId, 'delivery', input.taskToken);
  const shipment = await shipmentOf(deps, input.shipmentId);
  if (deliveryEnded(shipment)) await deps.callbacks.succeed(input.taskToken, { status: shipment.status });
}

/** Answers a shipment's delivery wait once the carrier says it arrived or came back. */
export async function endDeliveryWait(
  deps: Pick<FulfilmentDeps, 'shipments' | 'callbacks'>,
  shipment: ShipmentRecord,
): Promise<void> {
  if (!deliveryEnded(shipment)) return;
  const token = await deps.shipments.waitToken(shipment.id, 'delivery');
  if (token) await deps.callbacks.succeed(token, { status: shipment.status });
}

/** Workflow task after every shipment's trip ended: DELIVERED when all arrived, else it stays with ops. */
export async function completeDelivery(
  deps: Pick<FulfilmentDeps, 'orders' | 'shipments' | 'events' | 'clock'>,
  input: { orderId: string },
) {
  const shipments = await deps.shipments.ofOrder(input.orderId);
  const order = await advanceOrder(
    deps,
    input.orderId,
    'DELIVERED',
    OrderEvents.DELIVERED,
    (o) =>
      livePlannedShipments(o, shipments).length > 0 &&
      livePlannedShipments(o, shipments).every((planned) =>
        shipments.some((s) => s.id === planned.id && s.status === ShipmentStatus.DELIVERED),
      ),
  );
  // Every branch ended because an edit called the shipments off (nothing delivered, so nothing
  // written above): route the order again.
  if (awaitsRouting(order)) throw new OrderEdited(order.id);
  return { orderId: order.id, status: order.status };
}
