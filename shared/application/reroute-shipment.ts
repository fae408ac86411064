import { NotFoundError } from '../domain/errors';
import { addShipment } from '../domain/order';
import { OrderEventType } from '../domain/order-events';
import { routeOrder } from '../domain/routing';
import { type ShipmentRecord, ShipmentStatus } from '../domain/shipment';
import { advanceOrder, type FulfilmentDeps } from './fulfilment';
import { getOrder } from './get-order';
import type { RoutingPolicyStore } from './ports';
import { StaleOrderVersion } from './ports';
import { routingCandidates } from './routing';

export interface RerouteDeps extends FulfilmentDeps {
  policies: RoutingPolicyStore;
}

export type RerouteOutcome =
  | { outcome: 'rerouted'; orderId: string; shipmentId: string }
  | { outcome: 'held' };

/**
 * A warehouse rejected a shipment (damaged stock, say): its lines go, as one shipment, to the best
 * other location under the routing policy (never one that rejected it or already ships part of
 * the order), the units held there instead in one transaction. When none can, the order goes
 * ON_HOLD for ops. Safe to repeat.
 */
export async function rerouteRejectedShipment(
  deps: RerouteDeps,
  input: { shipmentId: string },
): Promise<RerouteOutcome> {
  const rejected = await deps.shipments.get(input.shipmentId);
  if (!rejected) throw new NotFoundError(`Shipment ${input.shipmentId} does not exist`);
  if (rejected.reroutedTo)
    return { outcome: 'rerouted', orderId: rejected.orderId, shipmentId: rejected.reroutedTo };
  if (rejected.status !== ShipmentStatus.REJECTED) return { outcome: 'held' };
  let order = await getOrder(deps, rejected.orderId);
  const policy = await deps.policies.current();
  const used = (order.shipments ?? []).map((s) => s.locationId);
  const price = new Map(order.lines.map((l) => [l.sku, l.unitPrice]));
  const at = deps.clock.now();
  const candidates = await routingCandidates(
    deps,
    rejected.lines.map((l) => l.sku),
    at.slice(0, 10),
  );
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
  const moved = target ? await deps.ledger.moveRouted(order.id, rejected.locationId, target, at) : undefined;
  if (!target || !moved?.routed) {
    const why = moved && !moved.routed ? moved.conflict : 'no other location can ship it';
    await advanceOrder(
      deps,
      order.id,
      'ON_HOLD',
      OrderEventType.ON_HOLD,
      () => true,
      `shipment ${rejected.id} rejected by ${rejected.locationId} (${rejected.rejectionReason}); ${why}`,
    );
    return { outcome: 'held' };
  }
  let shipmentId = '';
  for (let attempt = 1; ; attempt++) {
    // A retry after the order was updated finds the shipment there (no other shipment uses `target`).
    const existing = order.shipments?.find((s) => s.locationId === target);
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
