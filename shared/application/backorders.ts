import { openLines } from '../domain/cancellation';
import type { Order } from '../domain/order';
import { OrderStatus } from '../domain/order-status';
import { routeOrder } from '../domain/routing';
import { missingSkus } from './allocate-order';
import { getOrder } from './get-order';
import type {
  Backorder,
  BackorderBook,
  Clock,
  InventoryLedger,
  LocationRepository,
  OrderRepository,
  RoutingPolicyStore,
  ShipmentRepository,
  WorkflowCallbacks,
} from './ports';
import { shipmentWaitOver } from './reroute-shipment';
import { routingCandidates, routingOrderOf } from './routing';

export interface BackorderDeps {
  orders: OrderRepository;
  ledger: InventoryLedger;
  backorders: BackorderBook;
  callbacks: WorkflowCallbacks;
  clock: Clock;
  locations: LocationRepository;
  policies: RoutingPolicyStore;
  shipments: ShipmentRepository;
}

/**
 * The SKUs a backordered order waits for: those the network lacks; else, when no plan within the
 * routing policy works (too many shipments, a shipment under the minimum value), those routing
 * could not place, or all of them, since more stock of any may make a plan possible. Empty when
 * the order can go now.
 */
async function awaitedSkus(deps: BackorderDeps, order: Order): Promise<string[]> {
  const lacking = await missingSkus(deps, order);
  if (lacking.length > 0) return lacking;
  const skus = order.lines.map((l) => l.sku);
  const candidates = await routingCandidates(deps, skus, deps.clock.now().slice(0, 10));
  const decision = routeOrder(routingOrderOf(order), candidates, await deps.policies.current());
  if (decision.chosen) return [];
  return decision.missing.length > 0 ? decision.missing.map((m) => m.sku) : skus;
}

/**
 * Files a backordered order's wait (its task token) under each SKU it awaits. Then looks again:
 * a cancellation, or stock, that came between the read and the write would otherwise wake nobody.
 */
export async function registerBackorder(
  deps: BackorderDeps,
  input: { orderId: string; taskToken: string },
): Promise<void> {
  const order = await getOrder(deps, input.orderId);
  const skus = order.status === OrderStatus.BACKORDERED ? await awaitedSkus(deps, order) : [];
  if (skus.length === 0) {
    await deps.callbacks.succeed(input.taskToken, { woken: 'stock available' });
    return;
  }
  const wait = { orderId: order.id, placedAt: order.createdAt, skus, taskToken: input.taskToken };
  await deps.backorders.add(wait);
  const now = await deps.orders.get(order.id);
  // Held, it keeps its place in the queue; anything else but BACKORDERED (a cancellation) ends the wait.
  if (now && now.status !== OrderStatus.BACKORDERED && now.status !== OrderStatus.ON_HOLD) {
    if (await deps.backorders.claim(wait)) {
      await deps.backorders.remove(wait);
      await deps.callbacks.succeed(wait.taskToken, { woken: `order ${now.status}` });
    }
    return;
  }
  if ((await awaitedSkus(deps, order)).length === 0) await resumeBackorders(deps, skus[0] as string);
}

/**
 * Wakes the orders waiting for a SKU, oldest placed first, as far as the stock goes: each is
 * reserved here, so a later order cannot take what an earlier one waits for, then its workflow
 * is told to carry on (its Allocate step finds the reservation already made). An order that
 * lacks another SKU as well does not hold up younger ones; one short of this SKU does (first
 * come, first served). Rejected shipments waiting for the SKU are woken when a location can now
 * take their lines.
 */
export async function resumeBackorders(deps: BackorderDeps, sku: string): Promise<number> {
  let woken = 0;
  for (const waiting of await deps.backorders.waitingFor(sku)) {
    if (waiting.shipmentId) {
      // A rejected shipment holds its units already; it is woken once a location can take it.
      if (!(await shipmentWaitOver(deps, waiting.shipmentId))) continue;
      await deps.backorders.remove(waiting);
      if (await deps.callbacks.succeed(waiting.taskToken, { woken: `stock of ${sku}` })) woken++;
      continue;
    }
    const order = await deps.orders.get(waiting.orderId);
    // Held: it keeps its place in the queue, and is served once released.
    if (order?.status === OrderStatus.ON_HOLD) continue;
    if (!order || order.status !== OrderStatus.BACKORDERED) {
      await deps.backorders.remove(waiting);
      continue;
    }
    const result = await deps.ledger.reserve(order.id, openLines(order));
    if (!result.reserved) {
      if (result.shortages.every((s) => s.sku === sku)) break;
      continue;
    }
    // Another waker (for another SKU of the order) answers this wait; the reservation is the order's, shared.
    if (!(await deps.backorders.claim(waiting))) {
      await releaseIfCancelled(deps, order.id);
      continue;
    }
    await deps.backorders.remove(waiting);
    if (await deps.callbacks.succeed(waiting.taskToken, { woken: `stock of ${sku}` })) woken++;
    // The wait was over (expired, stopped) and only this waker could answer it: nobody will use
    // what was just reserved.
    else await deps.ledger.release(order.id);
  }
  return woken;
}

/** An order cancelled while it was being woken (its release may have run before the reservation). */
async function releaseIfCancelled(deps: BackorderDeps, orderId: string): Promise<void> {
  if ((await deps.orders.get(orderId))?.status === OrderStatus.CANCELLED) await deps.ledger.release(orderId);
}

/**
 * Ends the order's backorder waits that `which` picks (its own, a rejected shipment's), so its
 * workflow looks again now: after a cancellation (fewer units, or none) or a release.
 */
export async function wakeBackorderWaits(
  deps: Pick<BackorderDeps, 'backorders' | 'callbacks'>,
  order: Order,
  which: (wait: Backorder) => boolean,
  why: string,
): Promise<void> {
  const found = new Map<string, Backorder>();
  for (const line of order.lines) {
    for (const wait of await deps.backorders.waitingFor(line.sku)) {
      if (wait.orderId === order.id && which(wait)) found.set(wait.taskToken, wait);
    }
  }
  for (const wait of found.values()) {
    if (!(await deps.backorders.claim(wait))) continue;
    await deps.backorders.remove(wait);
    await deps.callbacks.succeed(wait.taskToken, { woken: why });
  }
}
