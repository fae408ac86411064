import type { z } from 'zod';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { type MarketplaceOrderDeps, takeMarketplaceOrder } from '../../shared/application/marketplace-orders';
import {
  AmazonOrderBody,
  checkedDraft,
  MercadoLibreOrderBody,
} from '../../shared/contracts/marketplace-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { fromAmazon } from '../../shared/domain/marketplace-amazon';
import { fromMercadoLibre } from '../../shared/domain/marketplace-mercadolibre';
import type { Marketplace, MarketplaceState } from '../../shared/domain/marketplaces';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

/**
 * A marketplace's order as its API gives it: normalized by the marketplace's adapter, checked by
 * POST /orders' rules (a refusal names the marketplace's field), then placed or cancelled.
 */
export const createHandler = (deps: MarketplaceOrderDeps) => {
  const take = <S extends z.ZodType>(
    marketplace: Marketplace,
    body: S,
    normalize: (payload: z.infer<S>) => MarketplaceState,
  ) =>
    httpRoute({ body }, async (request) => {
      const state = normalize(request.body);
      const { order, outcome } = await takeMarketplaceOrder(deps, {
        marketplace,
        state:
          state.kind === 'placeable'
            ? { ...state, order: { ...state.order, draft: checkedDraft(state.order) } }
            : state,
        principal: request.principal,
        correlationId: request.correlationId,
      });
      return outcome === 'placed'
        ? json(201, toOrderView(order), { location: `/orders/${order.id}` })
        : json(200, toOrderView(order));
    });
  return byRouteKey({
    'POST /marketplaces/amazon/orders': take('amazon', AmazonOrderBody, fromAmazon),
    'POST /marketplaces/mercadolibre/orders': take('mercadolibre', MercadoLibreOrderBody, fromMercadoLibre),
  });
};

export const handler = createHandler({
  ...cancelOrderDeps(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
