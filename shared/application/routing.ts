import { availableToSell } from '../domain/inventory';
import type { OrderDraft } from '../domain/order';
import { type Candidate, type RoutingDecision, type RoutingPolicy, routeOrder } from '../domain/routing';
import type { InventoryLedger, LocationRepository, OrderRepository, RoutingPolicyStore } from './ports';

export interface RoutingDeps {
  orders: OrderRepository;
  ledger: InventoryLedger;
  locations: LocationRepository;
  policies: RoutingPolicyStore;
}

/** Every location, with the ATS it has of each of these SKUs. */
export async function routingCandidates(
  deps: Pick<RoutingDeps, 'ledger' | 'locations'>,
  skus: string[],
): Promise<Candidate[]> {
  const [locations, levels] = await Promise.all([
    deps.locations.list(),
    Promise.all([...new Set(skus)].map((sku) => deps.ledger.levels(sku))),
  ]);
  return locations.map((location) => ({
    location,
    ats: Object.fromEntries(
      levels
        .flat()
        .filter((level) => level.locationId === location.id)
        .map((level) => [level.sku, availableToSell(level)]),
    ),
  }));
}

export interface SimulationInput {
  policy?: Omit<RoutingPolicy, 'version'>;
  orderIds?: string[];
  orders?: OrderDraft[];
}

export interface Simulation {
  policyVersion: number | 'draft';
  decisions: Array<RoutingDecision | { orderId: string; error: string }>;
}

/**
 * Re-runs routing without side effects, for stored orders or orders as they would be placed,
 * under a draft policy or the current one, against today's stock.
 */
export async function simulateRouting(deps: RoutingDeps, input: SimulationInput): Promise<Simulation> {
  const policy: RoutingPolicy = input.policy
    ? { ...input.policy, version: 0 }
    : await deps.policies.current();
  const targets = input.orderIds
    ? await Promise.all(input.orderIds.map(async (id) => ({ id, order: await deps.orders.get(id) })))
    : (input.orders ?? []).map((draft, i) => ({
        id: `draft-${i + 1}`,
        order: { ...draft, id: `draft-${i + 1}` },
      }));
  const decisions: Simulation['decisions'] = [];
  for (const { id, order } of targets) {
    if (!order) {
      decisions.push({ orderId: id, error: `Order ${id} does not exist` });
      continue;
    }
    const candidates = await routingCandidates(
      deps,
      order.lines.map((l) => l.sku),
    );
    decisions.push(
      routeOrder({ id, lines: order.lines, shippingAddress: order.shippingAddress }, candidates, policy),
    );
  }
  return { policyVersion: input.policy ? 'draft' : policy.version, decisions };
}
