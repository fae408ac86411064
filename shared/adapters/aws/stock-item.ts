import type { NetworkStock, StockLevel } from '../../domain/inventory';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

export const STOCK_ENTITY = 'STOCK';

/** Stock rows live in the SKU's partition: one per location, plus the network row. */
export const stockKey = (sku: string, locationId: string) => ({
  pk: `SKU#${sku}`,
  sk: `LOCATION#${locationId}`,
});
export const networkKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'NETWORK' });
/**
 * An order's reservation lives in its partition: one record with every line (held at network
 * level until routed), plus one record per location it was routed to. One record per place,
 * not per SKU, keeps every reservation transaction within DynamoDB's 100 actions.
 */
export const reservationKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'RESERVATION' });
export const ROUTED_PREFIX = 'RESERVATION#AT#';
export const routedReservationKey = (orderId: string, locationId: string) => ({
  pk: `ORDER#${orderId}`,
  sk: `${ROUTED_PREFIX}${locationId}`,
});
/** Orders routed to a location per day, for the daily-capacity filter. */
export const loadKey = (day: string, locationId: string) => ({
  pk: `LOAD#${day}`,
  sk: `LOCATION#${locationId}`,
});

/**
 * Also listed through the by-entity index (SKU then location). `ats` is kept on the row because
 * routing reserves with the condition `ats >= :q`, and the low-stock filter compares it with the threshold.
 */
export function toStockItem(level: StockLevel): Record<string, unknown> {
  // Unclamped (may be below 0 when safety stock exceeds what is free), so adding and taking back stay exact.
  const ats = level.onHand - level.reserved - level.safetyStock;
  return {
    ...stockKey(level.sku, level.locationId),
    entity: STOCK_ENTITY,
    [OrderIndex.BY_CREATED.partitionKey]: STOCK_ENTITY,
    [LIST_SORT_KEY]: `${level.sku}#${level.locationId}`,
    ats,
    ...level,
  };
}

export function fromStockItem(item: Record<string, unknown>): StockLevel {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    entityPk: _entityPk,
    listSk: _listSk,
    ats: _ats,
    low: _low,
    ...level
  } = item;
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
