import { type ImportRow, importStock } from '../../shared/application/import-stock';
import type { StockDeps } from '../../shared/application/stock';
import { StockImportBody, StockImportRow } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';
import { stockDeps } from '../lib/stock-handler';

/** Each row is checked on its own, so one bad row is reported without refusing the others. */
function checkRow(row: unknown): ImportRow | { invalid: string } {
  const parsed = StockImportRow.safeParse(row);
  if (parsed.success) return parsed.data;
  return { invalid: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') };
}

export const createHandler = (deps: StockDeps) =>
  httpRoute({ body: StockImportBody, idempotent: true, csvRows: true }, async (request) => {
    const report = await importStock(deps, {
      idempotencyKey: request.idempotencyKey,
      caller: request.principal.subject,
      correlationId: request.correlationId,
      rows: request.body.rows.map(checkRow),
    });
    return json(200, report);
  });

export const handler = createHandler(stockDeps());
