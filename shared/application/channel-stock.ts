import { type Principal, requireChannel } from '../domain/access';
import { type ChannelStockBuffers, type StockBuffer, stockFeedLine } from '../domain/channel-stock';
import type { Clock, InventoryLedger, StockBufferStore } from './ports';

export interface ChannelStockDeps {
  ledger: InventoryLedger;
  buffers: StockBufferStore;
  clock: Clock;
}

/** A channel's buffers; a channel reads its own, ops any. */
export async function stockBuffers(
  deps: Pick<ChannelStockDeps, 'buffers'>,
  input: { channel: string; principal: Principal },
): Promise<ChannelStockBuffers> {
  requireChannel(input.principal, input.channel);
  return deps.buffers.current(input.channel);
}

/** Ops set a channel's buffers; `expectedVersion` stops two editors overwriting each other. */
export function setStockBuffers(
  deps: Pick<ChannelStockDeps, 'buffers'>,
  input: {
    channel: string;
    default: StockBuffer;
    skus: Record<string, StockBuffer>;
    expectedVersion: number;
  },
): Promise<ChannelStockBuffers> {
  const { expectedVersion, ...buffers } = input;
  return deps.buffers.save(buffers, expectedVersion);
}

/**
 * One page of a channel's stock feed: every SKU with stock rows, in SKU order, with the network's
 * ATS, what the channel's buffer holds back and what it may list. `next` is the last SKU given
 * (the cursor of the next page) while more follow.
 */
export async function stockFeed(
  deps: ChannelStockDeps,
  input: { channel: string; principal: Principal; limit: number; after?: string },
) {
  requireChannel(input.principal, input.channel);
  const buffers = await deps.buffers.current(input.channel);
  const page = await deps.ledger.skus({
    limit: input.limit,
    ...(input.after === undefined ? {} : { after: input.after }),
  });
  const network = await deps.ledger.network(page.skus);
  return {
    channel: input.channel,
    generatedAt: deps.clock.now(),
    buffersVersion: buffers.version,
    items: page.skus.map((sku) => stockFeedLine(sku, network.get(sku), buffers)),
    ...(page.next === undefined ? {} : { next: page.next }),
  };
}
