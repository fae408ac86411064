import type { NetworkStock, StockLevel } from '../../domain/inventory';

/** Stock rows live in the SKU's partition: one per location, plus the network row. */
export const stockKey = (sku: string, locationId: string) => ({
  pk: `SKU#${sku}`,
  sk: `LOCATION#${locationId}`,
});
export const networkKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'NETWORK' });
/** Reservations live in the order's partition, one per SKU. */
export const reservationKey = (orderId: string, sku: string) => ({
  pk: `ORDER#${orderId}`,
  sk: `RESERVATION#${sku}`,
});

export function toStockItem(level: StockLevel): Record<string, unknown> {
  return { ...stockKey(level.sku, level.locationId), entity: 'STOCK', ...level };
}

export function fromStockItem(item: Record<string, unknown>): StockLevel {
  const { pk: _pk, sk: _sk, entity: _entity, ...level } = item;
  return level as unknown as StockLevel;
}

export function fromNetworkItem(item: Record<string, unknown>): NetworkStock {
  return {
    sku: String(item.sku),
    onHand: Number(item.onHand ?? 0),
    reserved: Number(item.reserved ?? 0),
    safetyStock: Number(item.safetyStock ?? 0),
  };
}
