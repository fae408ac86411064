import { NotFoundError } from '../domain/errors';
import { addShipment, type Order } from '../domain/order';
import { OrderEventType } from '../domain/order-events';
import { routeOrder } from '../domain/routing';
import { type ShipmentRecord, ShipmentStatus } from '../domain/shipment';
import { advanceOrder, type FulfilmentDeps } from './fulfilment';
import { getOrder } from './get-order';
import {
  type BackorderBook,
  type Clock,
  type RoutingPolicyStore,
  StaleOrderVersion,
  type WorkflowCallbacks,
} from './ports';
import { routingCandidates } from './routing';

export interface RerouteDeps
  extends Pick<FulfilmentDeps, 'orders' | 'shipments' | 'ledger' | 'locations' | 'events' | 'clock'> {
  policies: RoutingPolicyStore;
}

export type RerouteOutcome =
  | { outcome: 'rerouted'; orderId: string; shipmentId: string }
  | { outcome: 'backordered'; skus: string[] }
  | { outcome: 'held' }
  | { outcome: 'cancelled' };

type PlanningDeps = Pick<RerouteDeps, 'shipments' | 'orders' | 'ledger' | 'locations' | 'policies'>;

/**
 * Where a rejected shipment's lines can go now, as one shipment, under the routing policy:
 * never a location that rejected them or already ships part of the order. Otherwise the SKUs
 * routing could not place (all of them when no single location fits).
 */
async function reroutePlan(
  deps: PlanningDeps,
  rejected: ShipmentRecord,
  order: Order,
  day: string,
): Promise<{ locationId: string; dailyCapacity?: number } | { missing: string[] }> {
  const policy = await deps.policies.current();
  const used = (order.shipments ?? []).map((s) => s.locationId);
  const price = new Map(order.lines.map((l) => [l.sku, l.unitPrice]));
  const skus = rejected.lines.map((l) => l.sku);
  const candidates = await routingCandidates(deps, skus, day);
  const decision = routeOrder(
    {
      id: order.id,
      lines: rejected.lines.map((l) => ({ ...l, unitPrice: price.get(l.sku) ?? 0 })),
      shippingAddress: order.shippingAddress,
    },
    candidates,
    {
      ...policy,
      filters: {
        ...policy.filters,
        excludedLocations: [...(policy.filters.excludedLocations ?? []), ...used],
      },
      split: { ...policy.split, maxShipments: 1, minShipmentValue: 0, whenUnfillable: 'backorder' },
    },
  );
  const target = decision.chosen?.[0]?.locationId;
  if (target) {
    const capacity = candidates.find((c) => c.location.id === target)?.location.dailyCapacity;
    return {
      locationId: target,
      ...(policy.filters.respectDailyCapacity && capacity !== undefined ? { dailyCapacity: capacity } : {}),
    };
  }
  return { missing: decision.missing.length > 0 ? decision.missing.map((m) => m.sku) : skus };
}

/** A rejected shipment still waiting for another location to take its lines. */
const stillRejected = (shipment: ShipmentRecord | undefined): shipment is ShipmentRecord =>
  shipment?.status === ShipmentStatus.REJECTED && !shipment.reroutedTo;

/**
 * A warehouse rejected a shipment (damaged stock, say): its lines go, as one shipment, to the best
 * other location, the units held there instead in one transaction. When none can take them they
 * wait on backorder for stock (`backordered`); when that wait expires (`expired`) the order goes
 * ON_HOLD for ops. Safe to repeat.
 */
export async function rerouteRejectedShipment(
  deps: RerouteDeps,
  input: { shipmentId: string; expired?: boolean },
): Promise<RerouteOutcome> {
  const rejected = await deps.shipments.get(input.shipmentId);
  if (!rejected) throw new NotFoundError(`Shipment ${input.shipmentId} does not exist`);
  if (rejected.reroutedTo)
    return { outcome: 'rerouted', orderId: rejected.orderId, shipmentId: rejected.reroutedTo };
  if (rejected.status === ShipmentStatus.CANCELLED) return { outcome: 'cancelled' };
  if (rejected.status !== ShipmentStatus.REJECTED) return { outcome: 'held' };
  let order = await getOrder(deps, rejected.orderId);
  const at = deps.clock.now();
  if (input.expired) {
    await advanceOrder(
      deps,
      order.id,
      'ON_HOLD',
      OrderEventType.ON_HOLD,
      () => true,
      `shipment ${rejected.id} rejected by ${rejected.locationId} (${rejected.rejectionReason}); no other location could ship it before its backorder expired`,
    );
    return { outcome: 'held' };
  }
  const plan = await reroutePlan(deps, rejected, order, at.slice(0, 10));
  if ('missing' in plan) return { outcome: 'backordered', skus: plan.missing };
  const target = plan.locationId;
  const moved = await deps.ledger.moveRouted(order.id, {
    from: rejected.locationId,
    to: target,
    at,
    ...(plan.dailyCapacity === undefined ? {} : { dailyCapacity: plan.dailyCapacity }),
  });
  // Another order took that stock first: wait for more, like any backorder.
  if (!moved.routed) return { outcome: 'backordered', skus: rejected.lines.map((l) => l.sku) };
  let shipmentId = '';
  for (let attempt = 1; ; attempt++) {
    // A retry after the order was updated finds the shipment there (no other shipment uses `target`).
    const existing = order.shipments?.find((s) => s.locationId === target && !s.cancelled);
    shipmentId = existing?.id ?? `${order.id}-${(order.shipments ?? []).length + 1}`;
    if (existing) break;
    try {
      order = addShipment(order, { id: shipmentId, locationId: target, lines: rejected.lines }, at);
      await deps.orders.update(order);
      break;
    } catch (error) {
      if (!(error instanceof StaleOrderVersion) || attempt >= 8) throw error;
      order = await getOrder(deps, rejected.orderId);
    }
  }
  const handedOver: ShipmentRecord = {
    ...rejected,
    reroutedTo: shipmentId,
    version: rejected.version + 1,
    updatedAt: at,
  };
  await deps.shipments.update(handedOver);
  return { outcome: 'rerouted', orderId: order.id, shipmentId };
}

/** True when a backordered shipment need wait no more: a location can take it now, or it is no longer waiting. */
export async function shipmentWaitOver(deps: PlanningDeps & { clock: Clock }, shipmentId: string) {
  const shipment = await deps.shipments.get(shipmentId);
  if (!stillRejected(shipment)) return true;
  const order = await deps.orders.get(shipment.orderId);
  if (!order) return true;
  return 'locationId' in (await reroutePlan(deps, shipment, order, deps.clock.now().slice(0, 10)));
}

/**
 * Workflow task (waits on `taskToken`): files a rejected shipment's wait under the SKUs no other
 * location has, then looks again, since stock that arrived meanwhile would wake nobody.
 */
export async function awaitStockForShipment(
  deps: PlanningDeps & { backorders: BackorderBook; callbacks: WorkflowCallbacks; clock: Clock },
  input: { orderId: string; shipmentId: string; taskToken: string },
): Promise<void> {
  const shipment = await deps.shipments.get(input.shipmentId);
  const order = await getOrder(deps, input.orderId);
  const plan = stillRejected(shipment)
    ? await reroutePlan(deps, shipment, order, deps.clock.now().slice(0, 10))
    : undefined;
  if (!plan || !('missing' in plan)) {
    await deps.callbacks.succeed(input.taskToken, { woken: 'stock available' });
    return;
  }
  const backorder = {
    orderId: order.id,
    placedAt: order.createdAt,
    skus: plan.missing,
    taskToken: input.taskToken,
    shipmentId: input.shipmentId,
  };
  await deps.backorders.add(backorder);
  if (await shipmentWaitOver(deps, input.shipmentId)) {
    await deps.backorders.remove(backorder);
    await deps.callbacks.succeed(input.taskToken, { woken: 'stock available' });
  }
}
