import { openQuantity } from '../domain/cancellation';
import { availableToSell } from '../domain/inventory';
import type { Order, OrderDraft } from '../domain/order';
import {
  type Candidate,
  type RoutingDecision,
  type RoutingOrder,
  type RoutingPolicy,
  routeOrder,
} from '../domain/routing';
import type {
  Clock,
  HeldLine,
  InventoryLedger,
  LocationRepository,
  OrderRepository,
  RoutingDecisionStore,
  RoutingPolicyStore,
} from './ports';

export interface RoutingDeps {
  orders: OrderRepository;
  ledger: InventoryLedger;
  locations: LocationRepository;
  policies: RoutingPolicyStore;
  decisions: RoutingDecisionStore;
  clock: Clock;
}

/**
 * Every location, with the ATS it has of each of these SKUs and the orders routed to it on `day`.
 * Units the order itself holds at a location count as available to it, so re-routing a routed
 * order (in a simulation) can keep it where it is.
 */
export async function routingCandidates(
  deps: { ledger: InventoryLedger; locations: LocationRepository },
  skus: string[],
  day: string,
  ownHeld: HeldLine[] = [],
): Promise<Candidate[]> {
  const [locations, levels, routedToday] = await Promise.all([
    deps.locations.list(),
    Promise.all([...new Set(skus)].map((sku) => deps.ledger.levels(sku))),
    deps.ledger.routedOn(day),
  ]);
  const own = (sku: string, locationId: string) =>
    ownHeld.filter((h) => h.sku === sku && h.locationId === locationId).reduce((n, h) => n + h.quantity, 0);
  return locations.map((location) => ({
    location,
    ordersToday: routedToday.get(location.id) ?? 0,
    ats: Object.fromEntries(
      levels
        .flat()
        .filter((level) => level.locationId === location.id)
        .map((level) => [level.sku, availableToSell(level) + own(level.sku, location.id)]),
    ),
  }));
}

export const routingOrderOf = (order: Pick<Order, 'id' | 'lines' | 'shippingAddress'>): RoutingOrder => ({
  id: order.id,
  // Routing places what is still wanted: cancelled units are no longer routed.
  lines: order.lines.flatMap((l) => (openQuantity(l) > 0 ? [{ ...l, quantity: openQuantity(l) }] : [])),
  shippingAddress: order.shippingAddress,
});

export interface SimulationInput {
  policy?: Omit<RoutingPolicy, 'version'>;
  orderIds?: string[];
  orders?: OrderDraft[];
}

/** How a stored order's routing would change: the locations it ships from now and under the simulation. */
export interface RoutingChange {
  orderId: string;
  before: string[];
  after: string[];
  moved: boolean;
}

export interface Simulation {
  policyVersion: number | 'draft';
  decisions: Array<RoutingDecision | { orderId: string; error: string }>;
  /** For stored orders: which would ship from elsewhere. */
  changes?: RoutingChange[];
}

const locationsOf = (decision: Pick<RoutingDecision, 'chosen'> | undefined) =>
  [...new Set((decision?.chosen ?? []).map((s) => s.locationId))].sort();

/**
 * Re-runs routing without side effects, for stored orders or orders as they would be placed,
 * under a draft policy or the current one, against today's stock; for stored orders, says which
 * would move compared with their stored decision.
 */
export async function simulateRouting(deps: RoutingDeps, input: SimulationInput): Promise<Simulation> {
  const today = deps.clock.now().slice(0, 10);
  const policy: RoutingPolicy = input.policy
    ? { ...input.policy, version: 0 }
    : await deps.policies.current();
  const decisions: Simulation['decisions'] = [];
  if (!input.orderIds) {
    for (const [i, draft] of (input.orders ?? []).entries()) {
      const order = { ...draft, id: `draft-${i + 1}` };
      const candidates = await routingCandidates(
        deps,
        order.lines.map((l) => l.sku),
        today,
      );
      decisions.push(routeOrder(order, candidates, policy));
    }
    return { policyVersion: input.policy ? 'draft' : policy.version, decisions };
  }
  const changes: RoutingChange[] = [];
  for (const id of input.orderIds) {
    const order = await deps.orders.get(id);
    if (!order) {
      decisions.push({ orderId: id, error: `Order ${id} does not exist` });
      continue;
    }
    const [stored, held] = await Promise.all([deps.decisions.get(id), deps.ledger.reservationsOf(id)]);
    const candidates = await routingCandidates(
      deps,
      order.lines.map((l) => l.sku),
      today,
      held,
    );
    const decision = routeOrder(routingOrderOf(order), candidates, policy);
    decisions.push(decision);
    if (stored) {
      const before = locationsOf(stored);
      const after = locationsOf(decision);
      changes.push({ orderId: id, before, after, moved: before.join() !== after.join() });
    }
  }
  return { policyVersion: input.policy ? 'draft' : policy.version, decisions, changes };
}
