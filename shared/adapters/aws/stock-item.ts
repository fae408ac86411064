import { availableToSell, type NetworkStock, type StockLevel } from '../../domain/inventory';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

export const STOCK_ENTITY = 'STOCK';

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

/** Also listed through the by-entity index (SKU then location), with ATS and a low flag to filter on. */
export function toStockItem(level: StockLevel): Record<string, unknown> {
  const ats = availableToSell(level);
  return {
    ...stockKey(level.sku, level.locationId),
    entity: STOCK_ENTITY,
    [OrderIndex.BY_CREATED.partitionKey]: STOCK_ENTITY,
    [LIST_SORT_KEY]: `${level.sku}#${level.locationId}`,
    ats,
    low: ats < level.lowStockThreshold,
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
