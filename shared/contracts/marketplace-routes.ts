import { Audience } from '../domain/access';
import type { ApiRoute } from './api-routes';
import {
  AmazonOrderBody,
  ChannelParams,
  MarketplaceOrderParams,
  MercadoLibreOrderBody,
  StockBufferBody,
  StockFeedQuery,
} from './marketplace-schemas';

const { CHANNEL, OPS } = Audience;
const problems = { 400: { description: 'Invalid request', schema: 'Problem' } } as const;

const taken: ApiRoute['responses'] = {
  201: {
    description: 'Placed: the order, PENDING, its workflow started',
    schema: 'Order',
    headers: ['Location'],
  },
  200: {
    description:
      'Taken before (the same marketplace order posted again), or cancelled now as the marketplace did',
    schema: 'Order',
  },
  ...problems,
  403: { description: 'The token does not act for the marketplace’s channel', schema: 'Problem' },
  409: {
    description: 'Cancelled at the marketplace, but its parcel is already leaving: open a return',
    schema: 'Problem',
  },
  422: {
    description:
      'Not the OMS’s to ship: not paid yet, fulfilled by the marketplace, or cancelled before it was taken',
    schema: 'Problem',
  },
};

/** Marketplace channels: their order payloads taken as they are, their status mapped back, their stock feeds. */
export const MARKETPLACE_ROUTES: readonly ApiRoute[] = [
  {
    operationId: 'takeAmazonOrder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/marketplaces/amazon/orders',
    summary:
      "Take an Amazon order (SP-API getOrder + getOrderItems) on channel amazon: placed once per AmazonOrderId, cancelled when Amazon's status is Canceled",
    body: AmazonOrderBody,
    responses: taken,
  },
  {
    operationId: 'takeMercadoLibreOrder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/marketplaces/mercadolibre/orders',
    summary:
      'Take a Mercado Libre order (GET /orders/{id} + GET /shipments/{id}) on channel mercadolibre: placed once per order id when paid, cancelled when cancelled',
    body: MercadoLibreOrderBody,
    responses: taken,
  },
  {
    operationId: 'getMarketplaceOrderStatus',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/marketplaces/{marketplace}/orders/{marketplaceOrderId}',
    summary:
      "The OMS order of a marketplace order, in the marketplace's terms: what a connector reports back (Amazon's confirmShipment per parcel, Mercado Libre's shipment status and tracking)",
    params: MarketplaceOrderParams,
    responses: {
      200: { description: 'The order in both vocabularies', schema: 'MarketplaceStatus' },
      ...problems,
      404: { description: 'No order from that marketplace with that id', schema: 'Problem' },
    },
  },
  {
    operationId: 'getStockBuffers',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/channels/{channel}/stock-buffers',
    summary: "A channel's stock buffers: units or a share of the ATS its stock feed holds back",
    params: ChannelParams,
    responses: {
      200: { description: 'The buffers (version 0: none set)', schema: 'StockBuffers' },
      ...problems,
    },
  },
  {
    operationId: 'putStockBuffers',
    access: [OPS],
    method: 'PUT',
    path: '/channels/{channel}/stock-buffers',
    summary:
      "Set a channel's stock buffers (a default and per-SKU overrides); expectedVersion guards concurrent edits",
    params: ChannelParams,
    body: StockBufferBody,
    responses: {
      200: { description: 'The new version', schema: 'StockBuffers' },
      ...problems,
      409: { description: 'expectedVersion is not the current version', schema: 'Problem' },
    },
  },
  {
    operationId: 'getStockFeed',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/channels/{channel}/stock-feed',
    summary:
      "What a channel may list of each SKU: the network's ATS less the channel's buffer, SKU by SKU, paged (Link rel=next)",
    params: ChannelParams,
    query: StockFeedQuery,
    responses: {
      200: { description: 'A page of the feed', schema: 'StockFeed', headers: ['Link'] },
      ...problems,
    },
  },
];
