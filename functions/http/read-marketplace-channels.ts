import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type ChannelStockDeps, stockBuffers, stockFeed } from '../../shared/application/channel-stock';
import { marketplaceStatus } from '../../shared/application/marketplace-orders';
import type { OrderRepository, ShipmentRepository } from '../../shared/application/ports';
import {
  ChannelParams,
  MarketplaceOrderParams,
  StockFeedQuery,
} from '../../shared/contracts/marketplace-schemas';
import { byRouteKey, httpRoute, json } from '../lib/http-route';

type Deps = ChannelStockDeps & { orders: OrderRepository; shipments: ShipmentRepository };

const cursorOf = (sku: string) => Buffer.from(sku, 'utf8').toString('base64url');
const skuOf = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** What a marketplace channel reads: an order's status in its terms, its stock buffers and its stock feed. */
export const createHandler = (deps: Deps) =>
  byRouteKey({
    'GET /marketplaces/{marketplace}/orders/{marketplaceOrderId}': httpRoute(
      { params: MarketplaceOrderParams },
      async ({ params, principal }) => json(200, await marketplaceStatus(deps, { ...params, principal })),
    ),
    'GET /channels/{channel}/stock-buffers': httpRoute(
      { params: ChannelParams },
      async ({ params, principal }) =>
        json(200, await stockBuffers(deps, { channel: params.channel, principal })),
    ),
    'GET /channels/{channel}/stock-feed': httpRoute(
      { params: ChannelParams, query: StockFeedQuery },
      async ({ params, query, principal }) => {
        const feed = await stockFeed(deps, {
          channel: params.channel,
          principal,
          limit: query.limit,
          ...(query.cursor === undefined ? {} : { after: skuOf(query.cursor) }),
        });
        const next = feed.next === undefined ? undefined : cursorOf(feed.next);
        return json(
          200,
          { ...feed, ...(next === undefined ? {} : { next }) },
          next === undefined
            ? {}
            : {
                link: `</channels/${params.channel}/stock-feed?limit=${query.limit}&cursor=${next}>; rel="next"`,
              },
        );
      },
    ),
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  ledger: awsAdapters.ledger(),
  buffers: awsAdapters.stockBuffers(),
  clock: systemClock,
});
