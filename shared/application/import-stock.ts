import { DomainError } from '../domain/errors';
import { type StockDeps, setStock } from './stock';

export interface ImportRowResult {
  row: number;
  sku?: string;
  locationId?: string;
  status: 'applied' | 'replayed' | 'rejected';
  onHand?: number;
  error?: string;
}

export interface ImportRow {
  sku: string;
  locationId: string;
  onHand: number;
  safetyStock?: number;
  lowStockThreshold?: number;
}

/**
 * Applies a batch of cycle counts, each exactly once: row i of a request carries the request's
 * Idempotency-Key plus i, so a retried import replays the rows already done and applies the rest.
 * Rows are independent: one refused row does not stop the others. A few run at a time.
 */
export async function importStock(
  deps: StockDeps,
  input: {
    idempotencyKey: string;
    caller: string;
    correlationId: string;
    rows: Array<ImportRow | { invalid: string }>;
  },
  concurrency = 8,
): Promise<{ applied: number; replayed: number; rejected: number; results: ImportRowResult[] }> {
  const results: ImportRowResult[] = new Array(input.rows.length);
  let next = 0;
  const work = async () => {
    while (next < input.rows.length) {
      const index = next++;
      const row = input.rows[index] as ImportRow | { invalid: string };
      if ('invalid' in row) {
        results[index] = { row: index + 1, status: 'rejected', error: row.invalid };
        continue;
      }
      try {
        const { sku, locationId, ...count } = row;
        const { level, replayed } = await setStock(
          deps,
          {
            sku,
            locationId,
            idempotencyKey: `${input.idempotencyKey}#${index}`,
            caller: input.caller,
            correlationId: input.correlationId,
          },
          count,
        );
        results[index] = {
          row: index + 1,
          sku,
          locationId,
          status: replayed ? 'replayed' : 'applied',
          onHand: level.onHand,
        };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results[index] = {
          row: index + 1,
          sku: row.sku,
          locationId: row.locationId,
          status: 'rejected',
          error: error.message,
        };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
  const tally = (status: ImportRowResult['status']) => results.filter((r) => r.status === status).length;
  return { applied: tally('applied'), replayed: tally('replayed'), rejected: tally('rejected'), results };
}
