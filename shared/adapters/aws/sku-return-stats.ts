import type { ReturnReason, SkuReturnStats } from '../../domain/returns';
import { RETURN_REASONS, skuReturnStats } from '../../domain/returns';
import { LIST_SORT_KEY, OrderIndex } from './order-item';

/** One counter item per SKU, listed by SKU through the by-entity index. */
export const SKU_RETURNS_ENTITY = 'SKU_RETURNS';
const statsKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'RETURN_STATS' });

/**
 * Transaction items that add units to SKUs' counters (delivered, or returned for a reason). They
 * go in the same transaction as the write that delivers the shipment or opens the return, so a
 * retried write counts nothing twice.
 */
export function countUnits(
  tableName: string,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
  what: { delivered: true } | { returned: ReturnReason },
) {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  const counters = 'delivered' in what ? ['deliveredUnits'] : ['returnedUnits', `reason_${what.returned}`];
  return [...units].map(([sku, quantity]) => ({
    Update: {
      TableName: tableName,
      Key: statsKey(sku),
      UpdateExpression: `SET sku = :sku, entity = :entity, #entityPk = :entity, #listSk = :sku ADD ${counters
        .map((_, i) => `#c${i} :q`)
        .join(', ')}`,
      ExpressionAttributeNames: {
        '#entityPk': OrderIndex.BY_CREATED.partitionKey,
        '#listSk': LIST_SORT_KEY,
        ...Object.fromEntries(counters.map((c, i) => [`#c${i}`, c])),
      },
      ExpressionAttributeValues: { ':sku': sku, ':entity': SKU_RETURNS_ENTITY, ':q': quantity },
    },
  }));
}

export function fromStatsItem(item: Record<string, unknown>): SkuReturnStats {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return skuReturnStats(String(item.sku), {
    deliveredUnits: n(item.deliveredUnits),
    returnedUnits: n(item.returnedUnits),
    byReason: Object.fromEntries(RETURN_REASONS.map((r) => [r, n(item[`reason_${r}`])])),
  });
}
