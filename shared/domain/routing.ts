import { type Coordinates, distanceKm } from './geo';
import type { Location, LocationType } from './location';

export interface CostModel {
  base: number;
  perKm: number;
  perItem: number;
}

/** How the OMS chooses where an order ships from. Data, versioned, replayable. */
export interface RoutingPolicy {
  version: number;
  filters: {
    activeOnly: boolean;
    locationTypes?: LocationType[];
    maxDistanceKm?: number;
    excludedLocations?: string[];
    respectDailyCapacity: boolean;
  };
  /** Relative weights of the normalised criteria (lower score wins). */
  weights: { distance: number; cost: number; priority: number };
  /** Shipping cost from a location, in the order currency's minor units; per-location overrides. */
  costModel: { default: CostModel; byLocation?: Record<string, CostModel> };
  split: {
    preferSingleShipment: boolean;
    maxShipments: number;
    /** Minor units; a planned shipment worth less is not made. */
    minShipmentValue: number;
    /** What to do when no plan within the rules covers every line. */
    whenUnfillable: 'backorder' | 'shipPartial';
  };
}

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  version: 1,
  filters: { activeOnly: true, respectDailyCapacity: true },
  weights: { distance: 0.5, cost: 0.4, priority: 0.1 },
  costModel: { default: { base: 800, perKm: 2, perItem: 150 } },
  split: { preferSingleShipment: true, maxShipments: 3, minShipmentValue: 0, whenUnfillable: 'backorder' },
};

export interface RoutingLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface RoutingOrder {
  id: string;
  lines: RoutingLine[];
  shippingAddress: { country: string; region?: string; lat?: number; lon?: number };
}

export interface Candidate {
  location: Location;
  /** ATS per SKU at this location. */
  ats: Record<string, number>;
  /** Orders already routed here today, for the capacity filter. */
  ordersToday?: number;
}

export interface CandidateReport {
  locationId: string;
  droppedBy?: string;
  scores?: { distanceKm: number; cost: number; priority: number; total: number };
  /** How the distance was known: coordinates, or only the country/region. */
  distanceBasis?: 'coordinates' | 'region' | 'country' | 'unknown';
}

export interface PlannedShipment {
  locationId: string;
  lines: Array<{ sku: string; quantity: number }>;
  value: number;
}

export interface RoutingDecision {
  orderId: string;
  policyVersion: number;
  candidates: CandidateReport[];
  chosen?: PlannedShipment[];
  runnerUp?: PlannedShipment[];
  splitCost?: number;
  outcome: 'routed' | 'partial' | 'unfillable';
  /** Lines (or parts) no plan within the rules could cover. */
  missing: Array<{ sku: string; quantity: number }>;
  notes: string[];
}

/**
 * Distance to the customer. Without the customer's coordinates it falls back to what is known,
 * a coarse figure (same region 50 km, same country 500 km, abroad 5,000 km) that keeps nearby
 * locations ahead, and says which basis it used.
 */
function estimateDistance(
  from: Location['address'],
  to: RoutingOrder['shippingAddress'],
): { km: number; basis: NonNullable<CandidateReport['distanceBasis']> } {
  if (to.lat !== undefined && to.lon !== undefined) {
    return { km: distanceKm(from as Coordinates, { lat: to.lat, lon: to.lon }), basis: 'coordinates' };
  }
  if (to.region !== undefined && from.region === to.region && from.country === to.country)
    return { km: 50, basis: 'region' };
  if (from.country === to.country) return { km: 500, basis: 'country' };
  return { km: 5000, basis: 'unknown' };
}

interface Ranked {
  candidate: Candidate;
  km: number;
  total: number;
}

function shipmentCost(policy: RoutingPolicy, locationId: string, km: number, items: number): number {
  const model = policy.costModel.byLocation?.[locationId] ?? policy.costModel.default;
  return Math.round(model.base + model.perKm * km + model.perItem * items);
}

function dropReason(
  candidate: Candidate,
  order: RoutingOrder,
  km: number,
  policy: RoutingPolicy,
): string | undefined {
  const { location } = candidate;
  const f = policy.filters;
  if (f.activeOnly && !location.active) return 'inactive';
  if (f.locationTypes && !f.locationTypes.includes(location.type)) return `type ${location.type} not allowed`;
  if (f.excludedLocations?.includes(location.id)) return 'excluded by policy';
  if (
    f.respectDailyCapacity &&
    location.dailyCapacity !== undefined &&
    (candidate.ordersToday ?? 0) >= location.dailyCapacity
  ) {
    return 'daily capacity reached';
  }
  if (f.maxDistanceKm !== undefined && km > f.maxDistanceKm) return `farther than ${f.maxDistanceKm} km`;
  if (!order.lines.some((line) => (candidate.ats[line.sku] ?? 0) > 0)) return 'no stock of any line';
  return undefined;
}

/** Lines taken from locations in ranked order, each as much as it has, within the shipment limit. */
function greedyPlan(order: RoutingOrder, ranked: Ranked[], maxShipments: number): PlannedShipment[] {
  const remaining = new Map(order.lines.map((l) => [l.sku, l.quantity]));
  const price = new Map(order.lines.map((l) => [l.sku, l.unitPrice]));
  const shipments: PlannedShipment[] = [];
  for (const { candidate } of ranked) {
    if (shipments.length === maxShipments || [...remaining.values()].every((q) => q === 0)) break;
    const lines = order.lines.flatMap((line) => {
      const quantity = Math.min(remaining.get(line.sku) ?? 0, candidate.ats[line.sku] ?? 0);
      return quantity > 0 ? [{ sku: line.sku, quantity }] : [];
    });
    if (lines.length === 0) continue;
    for (const line of lines) remaining.set(line.sku, (remaining.get(line.sku) ?? 0) - line.quantity);
    const value = lines.reduce((sum, l) => sum + l.quantity * (price.get(l.sku) ?? 0), 0);
    shipments.push({ locationId: candidate.location.id, lines, value });
  }
  return shipments;
}

function missingOf(
  order: RoutingOrder,
  shipments: PlannedShipment[],
): Array<{ sku: string; quantity: number }> {
  return order.lines.flatMap((line) => {
    const shipped = shipments
      .flatMap((s) => s.lines)
      .filter((l) => l.sku === line.sku)
      .reduce((n, l) => n + l.quantity, 0);
    return shipped < line.quantity ? [{ sku: line.sku, quantity: line.quantity - shipped }] : [];
  });
}

/**
 * Chooses where an order ships from, and records why: every candidate with the filter that dropped
 * it or its scores, the chosen plan and the runner-up, the split cost and the policy version.
 * Pure and deterministic (ties go to the lower location id), so a decision can be replayed
 * against another policy. Never plans more of a SKU at a location than its ATS there.
 */
export function routeOrder(
  order: RoutingOrder,
  candidates: Candidate[],
  policy: RoutingPolicy,
): RoutingDecision {
  const notes: string[] = [];
  const reports: CandidateReport[] = [];
  const eligible: Array<{ candidate: Candidate; km: number; cost: number }> = [];
  const items = order.lines.reduce((n, l) => n + l.quantity, 0);
  for (const candidate of [...candidates].sort((a, b) => a.location.id.localeCompare(b.location.id))) {
    const { km, basis } = estimateDistance(candidate.location.address, order.shippingAddress);
    const droppedBy = dropReason(candidate, order, km, policy);
    if (droppedBy) {
      reports.push({ locationId: candidate.location.id, droppedBy, distanceBasis: basis });
      continue;
    }
    eligible.push({ candidate, km, cost: shipmentCost(policy, candidate.location.id, km, items) });
    reports.push({ locationId: candidate.location.id, distanceBasis: basis });
  }
  if (order.shippingAddress.lat === undefined || order.shippingAddress.lon === undefined) {
    notes.push('the shipping address has no coordinates: distances are estimated from country and region');
  }
  const max = (values: number[]) => Math.max(1e-9, ...values);
  const maxKm = max(eligible.map((e) => e.km));
  const maxCost = max(eligible.map((e) => e.cost));
  const maxPriority = max(eligible.map((e) => e.candidate.location.priority));
  const w = policy.weights;
  const ranked: Ranked[] = eligible
    .map((e) => {
      const total =
        (w.distance * e.km) / maxKm +
        (w.cost * e.cost) / maxCost +
        (w.priority * e.candidate.location.priority) / maxPriority;
      const report = reports.find((r) => r.locationId === e.candidate.location.id) as CandidateReport;
      report.scores = {
        distanceKm: Math.round(e.km * 10) / 10,
        cost: e.cost,
        priority: e.candidate.location.priority,
        total,
      };
      return { candidate: e.candidate, km: e.km, total };
    })
    .sort((a, b) => a.total - b.total || a.candidate.location.id.localeCompare(b.candidate.location.id));

  const canFill = (r: Ranked) => order.lines.every((l) => (r.candidate.ats[l.sku] ?? 0) >= l.quantity);
  const singles = ranked.filter(canFill).map((r) => greedyPlan(order, [r], 1));
  const split = greedyPlan(order, ranked, policy.split.maxShipments);
  const plans = [...singles, split].filter(
    (p, i, all) => all.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) === i,
  );
  const costOf = (plan: PlannedShipment[]) =>
    plan.reduce((sum, s) => {
      const r = ranked.find((x) => x.candidate.location.id === s.locationId) as Ranked;
      return (
        sum +
        shipmentCost(
          policy,
          s.locationId,
          r.km,
          s.lines.reduce((n, l) => n + l.quantity, 0),
        )
      );
    }, 0);
  const complete = plans.filter(
    (p) => missingOf(order, p).length === 0 && p.every((s) => s.value >= policy.split.minShipmentValue),
  );
  const ordered = policy.split.preferSingleShipment
    ? complete // singles come first, in rank order
    : [...complete].sort((a, b) => costOf(a) - costOf(b));
  const [chosen, runnerUp] = ordered;
  if (chosen) {
    if (chosen.length > 1)
      notes.push(`no single location can fill the order: split into ${chosen.length} shipments`);
    return {
      orderId: order.id,
      policyVersion: policy.version,
      candidates: reports,
      chosen,
      ...(runnerUp ? { runnerUp } : {}),
      splitCost: costOf(chosen),
      outcome: 'routed',
      missing: [],
      notes,
    };
  }
  // Nothing complete within the rules: say why, then ship what can go or wait, as the policy says.
  const within = split.filter((s) => s.value >= policy.split.minShipmentValue);
  if (within.length < split.length)
    notes.push(`a shipment would be worth less than the minimum of ${policy.split.minShipmentValue}`);
  const fullSplit = greedyPlan(order, ranked, Number.MAX_SAFE_INTEGER);
  if (missingOf(order, fullSplit).length === 0 && fullSplit.length > policy.split.maxShipments) {
    notes.push(
      `the order needs ${fullSplit.length} shipments, more than the ${policy.split.maxShipments} allowed`,
    );
  } else if (missingOf(order, split).length > 0) {
    notes.push('the network has not enough stock for every line');
  }
  const partial = policy.split.whenUnfillable === 'shipPartial' && within.length > 0;
  return {
    orderId: order.id,
    policyVersion: policy.version,
    candidates: reports,
    ...(partial ? { chosen: within, splitCost: costOf(within) } : {}),
    outcome: partial ? 'partial' : 'unfillable',
    missing: missingOf(order, partial ? within : []),
    notes,
  };
}

const describePlan = (plan: PlannedShipment[]) =>
  plan
    .map((s) => `${s.locationId} (${s.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ')})`)
    .join(' + ');

/** The decision in sentences, for a person: what was chosen and why, what else was considered. */
export function explainDecision(decision: RoutingDecision): string[] {
  const lines: string[] = [];
  if (decision.chosen && decision.outcome === 'routed') {
    lines.push(`Ships from ${describePlan(decision.chosen)}; estimated shipping cost ${decision.splitCost}.`);
  } else if (decision.chosen) {
    lines.push(`Ships partially from ${describePlan(decision.chosen)}.`);
  } else {
    lines.push('Not routed: no plan within the policy covers the order.');
  }
  if (decision.missing.length > 0)
    lines.push(`Not covered: ${decision.missing.map((m) => `${m.quantity} x ${m.sku}`).join(', ')}.`);
  if (decision.runnerUp) lines.push(`Runner-up: ${describePlan(decision.runnerUp)}.`);
  for (const c of decision.candidates) {
    lines.push(
      c.droppedBy
        ? `${c.locationId}: not considered (${c.droppedBy}).`
        : `${c.locationId}: score ${c.scores?.total.toFixed(3)} (${c.scores?.distanceKm} km${c.distanceBasis === 'coordinates' ? '' : `, estimated from ${c.distanceBasis}`}, cost ${c.scores?.cost}, priority ${c.scores?.priority}); lower wins.`,
    );
  }
  lines.push(...decision.notes.map((n) => `Note: ${n}.`));
  lines.push(`Policy version ${decision.policyVersion}.`);
  return lines;
}
