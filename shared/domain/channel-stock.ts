import { availableToSell, type NetworkStock } from './inventory';

/** What a channel is not shown of a SKU's ATS: N units, a percentage, or the larger of both. */
export interface StockBuffer {
  units?: number;
  /** 0-100: share of the ATS held back (rounded up to whole units). */
  percent?: number;
}

/**
 * A channel's stock buffers: held back from the stock feed it is sent, so a marketplace whose
 * listing lags the OMS's stock (or that takes orders faster than the feed runs) does not sell the
 * last units twice. A SKU's own buffer replaces the channel's default. Orders are never refused
 * for it: an order a marketplace already took is the OMS's to ship.
 */
export interface ChannelStockBuffers {
  channel: string;
  default: StockBuffer;
  skus: Record<string, StockBuffer>;
  /** Every change is a new version (expectedVersion on PUT); 0 until the first. */
  version: number;
}

export const noBuffers = (channel: string): ChannelStockBuffers => ({
  channel,
  default: {},
  skus: {},
  version: 0,
});

/** Units held back of `ats` by a buffer: never more than there is. */
export function heldBack(ats: number, buffer: StockBuffer): number {
  const byPercent = Math.ceil((ats * (buffer.percent ?? 0)) / 100);
  return Math.min(ats, Math.max(buffer.units ?? 0, byPercent));
}

export interface StockFeedLine {
  sku: string;
  /** Network available to sell. */
  ats: number;
  heldBack: number;
  /** What the channel may list: ats - heldBack. */
  quantity: number;
}

/** A SKU's line of a channel's stock feed; a SKU with no stock row yet lists 0. */
export function stockFeedLine(
  sku: string,
  network: NetworkStock | undefined,
  buffers: ChannelStockBuffers,
): StockFeedLine {
  const ats = network ? availableToSell(network) : 0;
  const back = heldBack(ats, buffers.skus[sku] ?? buffers.default);
  return { sku, ats, heldBack: back, quantity: ats - back };
}
