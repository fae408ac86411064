import { openLines } from '../domain/cancellation';
import { stopIfHeld } from '../domain/hold';
import { shortages as describeShortages, type Shortage } from '../domain/inventory';
import { stockReservedEvent } from '../domain/inventory-events';
import { type Order, transitionOrder } from '../domain/order';
import { OrderEventType, orderEvent } from '../domain/order-events';
import { OrderStatus } from '../domain/order-status';
import { getOrder } from './get-order';
import type { Clock, EventPublisher, InventoryLedger, OrderRepository } from './ports';

export interface AllocateOrderDeps {
  orders: OrderRepository;
  ledger: InventoryLedger;
  events: EventPublisher;
  clock: Clock;
}

export interface AllocationResult {
  orderId: string;
  status: Order['status'];
  shortages?: Shortage[];
}

const describe = (missing: Shortage[]) =>
  `waiting for stock: ${missing.map((m) => `${m.sku} (${m.missing} missing)`).join(', ')}`;

/**
 * Reserves every line of a confirmed (or backordered) order at network level, all or nothing:
 * ALLOCATED when the stock is there, BACKORDERED with what is missing when not. Idempotent: the
 * reservation records make a retry reserve nothing twice, and the order moves only forward.
 */
export async function allocateOrder(deps: AllocateOrderDeps, orderId: string): Promise<AllocationResult> {
  let order = await getOrder(deps, orderId);
  // Cancelled while an earlier attempt was reserving: what that attempt took goes back.
  if (order.status === OrderStatus.CANCELLED) await deps.ledger.release(order.id);
  stopIfHeld(order);
  if (order.status !== OrderStatus.CONFIRMED && order.status !== OrderStatus.BACKORDERED) {
    return { orderId, status: order.status };
  }
  const lines = openLines(order);
  const result = await deps.ledger.reserve(order.id, lines);
  // An earlier attempt reserved before some lines were cancelled: the reservation keeps only what is open.
  if (result.reserved && order.cancellations) await deps.ledger.holdAtMost(order.id, lines);
  const at = deps.clock.now();
  if (result.reserved) {
    order = transitionOrder(order, OrderStatus.ALLOCATED, at);
    await deps.orders.update(order);
    await deps.events.publish([
      orderEvent(order, OrderEventType.ALLOCATED),
      stockReservedEvent(order, lines),
    ]);
    return { orderId, status: order.status };
  }
  if (order.status === OrderStatus.CONFIRMED) {
    order = transitionOrder(order, OrderStatus.BACKORDERED, at, { reason: describe(result.shortages) });
    await deps.orders.update(order);
    await deps.events.publish([orderEvent(order, OrderEventType.BACKORDERED)]);
  }
  return { orderId, status: order.status, shortages: result.shortages };
}

/** SKUs of the order that the network cannot cover now. */
export async function missingSkus(deps: { ledger: InventoryLedger }, order: Order): Promise<string[]> {
  const lines = openLines(order);
  return describeShortages(lines, await deps.ledger.network(lines.map((l) => l.sku))).map((s) => s.sku);
}
