import { type Principal, requireChannel } from '../domain/access';
import { NotFoundError, UnprocessableError } from '../domain/errors';
import { amazonStatus } from '../domain/marketplace-amazon';
import { mercadoLibreStatus } from '../domain/marketplace-mercadolibre';
import type { Marketplace, MarketplaceRef, MarketplaceState } from '../domain/marketplaces';
import type { Order } from '../domain/order';
import { OrderStatus } from '../domain/order-status';
import { type CancelOrderDeps, cancelOrder } from './cancel-order';
import { type PlaceOrderDeps, placeOrder } from './place-order';
import type { OrderRepository, ShipmentRepository } from './ports';

export type MarketplaceOrderDeps = PlaceOrderDeps & CancelOrderDeps;

export interface MarketplaceOrderResult {
  order: Order;
  /** placed: new here; unchanged: taken before (a connector posting it again); cancelled: cancelled here now or before. */
  outcome: 'placed' | 'unchanged' | 'cancelled';
}

/**
 * Takes a marketplace's order as the marketplace now states it, on the channel named after the
 * marketplace: places it once (the marketplace's order id is its external id and its idempotency
 * key, so a connector may post it as often as it polls), or cancels it when the marketplace did.
 */
export async function takeMarketplaceOrder(
  deps: MarketplaceOrderDeps,
  input: { marketplace: Marketplace; state: MarketplaceState; principal: Principal; correlationId: string },
): Promise<MarketplaceOrderResult> {
  const { marketplace: channel, state, principal } = input;
  requireChannel(principal, channel);
  if (state.kind === 'refused')
    throw new UnprocessableError(state.detail, { marketplaceOrderId: state.orderId, pointer: state.pointer });
  const existing = await deps.orders.byExternalId(channel, state.orderId);
  if (state.kind === 'cancelled') {
    if (!existing)
      throw new UnprocessableError(
        `Order ${state.orderId} was cancelled at ${channel} before the OMS took it: nothing to cancel`,
        { marketplaceOrderId: state.orderId, pointer: '#/order' },
      );
    if (existing.status === OrderStatus.CANCELLED) return { order: existing, outcome: 'cancelled' };
    // Past cancelling (its parcel is leaving), this is a 409: the marketplace must open a return.
    const { order } = await cancelOrder(deps, {
      orderId: existing.id,
      request: { reason: 'customer_request', note: `cancelled at ${channel}` },
      principal,
      idempotencyKey: `${channel}-cancelled:${state.orderId}`,
    });
    return { order, outcome: 'cancelled' };
  }
  if (existing) return { order: existing, outcome: 'unchanged' };
  const { order, replayed } = await placeOrder(deps, {
    idempotencyKey: `${channel}:${state.orderId}`,
    caller: principal.subject,
    draft: state.order.draft,
    correlationId: input.correlationId,
  });
  return { order, outcome: replayed ? 'unchanged' : 'placed' };
}

/** The OMS order of a marketplace's order, in the marketplace's terms (what a connector reports back). */
export async function marketplaceStatus(
  deps: { orders: OrderRepository; shipments: ShipmentRepository },
  input: { marketplace: Marketplace; marketplaceOrderId: string; principal: Principal },
) {
  const { marketplace, marketplaceOrderId, principal } = input;
  requireChannel(principal, marketplace);
  const order = await deps.orders.byExternalId(marketplace, marketplaceOrderId);
  if (!order?.marketplace)
    throw new NotFoundError(`No order from ${marketplace} with id ${marketplaceOrderId}`, {
      marketplaceOrderId,
    });
  const taken = order as Order & { marketplace: MarketplaceRef };
  const shipments = order.shipments ? await deps.shipments.ofOrder(order.id) : [];
  return {
    orderId: order.id,
    status: order.status,
    marketplace,
    marketplaceStatus:
      marketplace === 'amazon' ? amazonStatus(taken, shipments) : mercadoLibreStatus(taken, shipments),
  };
}
