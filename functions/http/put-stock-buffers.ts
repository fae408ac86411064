import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { setStockBuffers } from '../../shared/application/channel-stock';
import type { StockBufferStore } from '../../shared/application/ports';
import { ChannelParams, StockBufferBody } from '../../shared/contracts/marketplace-schemas';
import { httpRoute, json } from '../lib/http-route';

/** Every change is a new version; `expectedVersion` stops two editors overwriting each other. */
export const createHandler = (deps: { buffers: StockBufferStore }) =>
  httpRoute({ params: ChannelParams, body: StockBufferBody }, async ({ params, body }) =>
    json(200, await setStockBuffers(deps, { channel: params.channel, ...body })),
  );

export const handler = createHandler({ buffers: awsAdapters.stockBuffers() });
