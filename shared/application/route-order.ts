import { openLines } from '../domain/cancellation';
import { stopIfHeld } from '../domain/hold';
import { stockSignalEvents } from '../domain/inventory-events';
import { type Order, type Shipment, transitionOrder } from '../domain/order';
import { type DomainEvent, OrderEventType, orderEvent, orderRoutedEvent } from '../domain/order-events';
import { OrderStatus } from '../domain/order-status';
import { type RoutingDecision, routeOrder } from '../domain/routing';
import { getOrder } from './get-order';
import type { Clock, EventPublisher, RoutedShipment, StoredRoutingDecision } from './ports';
import { type RoutingDeps, routingCandidates, routingOrderOf } from './routing';

export interface RouteOrderDeps extends RoutingDeps {
  events: EventPublisher;
  clock: Clock;
}

/** Plans tried before giving up when other orders keep taking the stock first. */
export const MAX_ROUTING_ATTEMPTS = 5;

export interface RouteOrderResult {
  orderId: string;
  status: Order['status'];
  /** What the workflow fulfils next, one item per shipment (empty unless ROUTED). */
  shipments: Array<{ orderId: string; shipmentId: string }>;
}

const result = (order: Pick<Order, 'id' | 'status' | 'shipments'>): RouteOrderResult => ({
  orderId: order.id,
  status: order.status,
  // A re-run execution (resumed after a restart) finds its shipments again.
  shipments: ['ROUTED', 'FULFILLING', 'SHIPPED'].includes(order.status)
    ? (order.shipments ?? [])
        .filter((s) => !s.cancelled)
        .map((s) => ({ orderId: order.id, shipmentId: s.id }))
    : [],
});

/**
 * The order's shipments once routed: an edited order keeps those it called off (cancelled) and
 * numbers the new ones after them, so no shipment id is used twice.
 */
const shipmentsOf = (order: Order, decision: Pick<RoutingDecision, 'chosen'>): Shipment[] => {
  const earlier = order.shipments ?? [];
  return [
    ...earlier,
    ...(decision.chosen ?? []).map((s, i) => ({
      id: `${order.id}-${earlier.length + i + 1}`,
      locationId: s.locationId,
      lines: s.lines,
    })),
  ];
};

/**
 * The Route stage of an ALLOCATED order: chooses locations under the current policy and moves the
 * network reservation onto them in one transaction, conditional on each location's ATS. When another
 * order took the stock meanwhile it plans again (at most MAX_ROUTING_ATTEMPTS times); when no plan
 * within the policy works it releases the reservation and backorders the order, the decision saying
 * why. ROUTED with its shipments otherwise. Idempotent: a retried task finds the work done.
 */
export async function routeAllocatedOrder(deps: RouteOrderDeps, orderId: string): Promise<RouteOrderResult> {
  let order = await getOrder(deps, orderId);
  if (order.status === OrderStatus.CANCELLED) await deps.ledger.release(order.id);
  stopIfHeld(order);
  if (order.status !== OrderStatus.ALLOCATED) return result(order);
  const policy = await deps.policies.current();
  const skus = order.lines.map((l) => l.sku);
  const conflicts: string[] = [];
  let decision: RoutingDecision | undefined;
  for (let attempt = 1; attempt <= MAX_ROUTING_ATTEMPTS; attempt++) {
    const at = deps.clock.now();
    const candidates = await routingCandidates(deps, skus, at.slice(0, 10));
    decision = routeOrder(routingOrderOf(order), candidates, policy);
    decision.notes.push(...conflicts);
    if (!decision.chosen) break;
    const capacity = Object.fromEntries(
      candidates.flatMap(({ location }) =>
        policy.filters.respectDailyCapacity && location.dailyCapacity !== undefined
          ? [[location.id, location.dailyCapacity]]
          : [],
      ),
    );
    const applied = await deps.ledger.route(order.id, {
      at,
      shipments: decision.chosen.map((s) => ({ locationId: s.locationId, lines: s.lines })),
      dailyCapacity: capacity,
    });
    if (applied.routed) {
      const kept = await decisionHeld(
        deps,
        order,
        { ...decision, decidedAt: at, attempts: attempt },
        applied.shipments,
      );
      await deps.decisions.save(kept);
      const partial = kept.outcome === 'partial';
      order = transitionOrder(order, OrderStatus.ROUTED, at, {
        shipments: shipmentsOf(order, kept),
        ...(partial
          ? {
              reason: `shipping partially: ${kept.missing.map((m) => `${m.quantity} x ${m.sku}`).join(', ')} not shipped`,
            }
          : {}),
      });
      await deps.orders.update(order);
      await deps.events.publish([orderRoutedEvent(order, kept), ...(await heldStockSignals(deps, order))]);
      return result(order);
    }
    conflicts.push(`attempt ${attempt}: ${applied.conflict}`);
    // Cancelled (and released) meanwhile: nothing left to route; lines cancelled: plan what is left.
    order = await getOrder(deps, orderId);
    stopIfHeld(order);
    if (order.status !== OrderStatus.ALLOCATED) return result(order);
  }
  return backorder(deps, order, decision as RoutingDecision, conflicts.length);
}

const planKey = (plan: RoutedShipment[]) =>
  JSON.stringify(
    plan
      .map((s) => ({
        locationId: s.locationId,
        lines: [...s.lines].sort((a, b) => a.sku.localeCompare(b.sku)).map((l) => [l.sku, l.quantity]),
      }))
      .sort((a, b) => a.locationId.localeCompare(b.locationId)),
  );

/**
 * The decision behind what the ledger holds. A retry after the ledger committed but before the
 * order was updated finds the earlier attempt's plan there, not the one it just made (its own
 * reservations changed the ATS it read): the order's shipments must follow the units, so the
 * earlier decision stands, as stored, or rebuilt from the held plan when it was never stored.
 */
async function decisionHeld(
  deps: RouteOrderDeps,
  order: Order,
  fresh: StoredRoutingDecision,
  held: RoutedShipment[],
): Promise<StoredRoutingDecision> {
  if (planKey(fresh.chosen ?? []) === planKey(held)) return fresh;
  const stored = await deps.decisions.get(order.id);
  if (stored?.chosen && planKey(stored.chosen) === planKey(held)) return stored;
  const price = new Map(order.lines.map((l) => [l.sku, l.unitPrice]));
  const routed = new Map<string, number>();
  for (const line of held.flatMap((s) => s.lines))
    routed.set(line.sku, (routed.get(line.sku) ?? 0) + line.quantity);
  const missing = openLines(order).flatMap((l) => {
    const quantity = l.quantity - (routed.get(l.sku) ?? 0);
    return quantity > 0 ? [{ sku: l.sku, quantity }] : [];
  });
  const { runnerUp: _runnerUp, splitCost: _splitCost, ...rest } = fresh;
  return {
    ...rest,
    chosen: held.map((s) => ({
      ...s,
      value: s.lines.reduce((sum, l) => sum + l.quantity * (price.get(l.sku) ?? 0), 0),
    })),
    outcome: missing.length > 0 ? 'partial' : 'routed',
    missing,
    notes: [...fresh.notes, 'an earlier attempt had already reserved its plan: that plan stands'],
  };
}

/**
 * Low-stock alerts follow sales: StockLow / StockOut for each location row the order's units were
 * just held on, judged on the row as it is now against the same row without this order's units.
 */
async function heldStockSignals(deps: RouteOrderDeps, order: Order): Promise<DomainEvent[]> {
  const held = (order.shipments ?? [])
    .filter((s) => !s.cancelled)
    .flatMap((s) => s.lines.map((line) => ({ ...line, locationId: s.locationId })));
  const levels = await deps.ledger.levelsAt(held);
  return held.flatMap((line) => {
    const after = levels.find((l) => l.sku === line.sku && l.locationId === line.locationId);
    if (!after) return [];
    const before = { ...after, reserved: after.reserved - line.quantity };
    return stockSignalEvents(before, after, order.correlationId);
  });
}

async function backorder(
  deps: RouteOrderDeps,
  order: Order,
  planned: RoutingDecision,
  attempts: number,
): Promise<RouteOrderResult> {
  const at = deps.clock.now();
  const gaveUp = planned.chosen !== undefined;
  const decision: StoredRoutingDecision = {
    orderId: planned.orderId,
    policyVersion: planned.policyVersion,
    candidates: planned.candidates,
    outcome: 'unfillable',
    missing: planned.missing,
    notes: gaveUp
      ? [...planned.notes, `other orders took the stock first ${attempts} times: waiting for stock`]
      : planned.notes,
    decidedAt: at,
    attempts: Math.max(1, attempts),
  };
  await deps.decisions.save(decision);
  // Held units would otherwise sit idle while the order waits: they go back on sale.
  await deps.ledger.release(order.id);
  const reason = `routing: ${decision.notes.at(-1) ?? 'no plan within the policy'}`;
  const backordered = transitionOrder(order, OrderStatus.BACKORDERED, at, { reason });
  await deps.orders.update(backordered);
  await deps.events.publish([orderEvent(backordered, OrderEventType.BACKORDERED)]);
  return result(backordered);
}
