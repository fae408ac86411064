/**
 * `npm run import-orders -- orders.csv|orders.jsonl [--url http://127.0.0.1:3000]`: places the
 * orders of a file through POST /orders/import, 50 a request, with a progress bar. A CSV has one
 * row per order line (the columns of ORDER_IMPORT_COLUMNS, lines of one order sharing its
 * externalOrderId); JSON lines hold one POST /orders body a line. The Idempotency-Key of each
 * chunk comes from the file's content, so running the same file again replays instead of placing
 * twice. Prints the totals; exits 1 if any order was rejected, each listed with why.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MAX_IMPORT_ORDERS, ordersFromCsv } from '../../shared/contracts/order-import';
import { opsAuthorization } from './ops-token';
import { postChunk } from './post-chunk';
import { progressBar } from './progress-bar';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string', default: 'http://127.0.0.1:3000' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run import-orders -- <orders.csv|orders.jsonl> [--url http://127.0.0.1:3000]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const orders: unknown[] = file.endsWith('.csv')
  ? ordersFromCsv(text)
  : text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        // A line that is not JSON goes as null: the OMS rejects that order, in its place, and the rest go in.
        try {
          return JSON.parse(line) as unknown;
        } catch {
          return null;
        }
      });
const fileHash = createHash('sha256').update(text).digest('hex').slice(0, 24);
const authorization = await opsAuthorization(String(values.url));
const show = progressBar(orders.length, 'orders');
const totals = { placed: 0, replayed: 0, rejected: 0 };
const rejected: Array<{ order: number; externalOrderId?: string; error?: string }> = [];
show(0);
for (let start = 0; start < orders.length; start += MAX_IMPORT_ORDERS) {
  const chunk = orders.slice(start, start + MAX_IMPORT_ORDERS);
  const response = await postChunk(
    `${values.url}/orders/import`,
    { orders: chunk },
    {
      authorization,
      idempotencyKey: `orders-${fileHash}-${start}`,
    },
  );
  const report = (await response.json()) as typeof totals & {
    results?: Array<{ row: number; status: string; externalOrderId?: string; error?: string }>;
    detail?: string;
  };
  if (!response.ok) {
    console.error(
      `\nThe OMS refused orders ${start + 1}-${start + chunk.length}: ${response.status} ${report.detail ?? ''}`,
    );
    process.exit(1);
  }
  totals.placed += report.placed;
  totals.replayed += report.replayed;
  totals.rejected += report.rejected;
  for (const r of report.results ?? [])
    if (r.status === 'rejected')
      rejected.push({
        order: start + r.row,
        ...(r.externalOrderId ? { externalOrderId: r.externalOrderId } : {}),
        error: r.error,
      });
  show(
    start + chunk.length,
    `(placed ${totals.placed}, replayed ${totals.replayed}, rejected ${totals.rejected})`,
  );
}
for (const r of rejected)
  console.error(`order ${r.order}${r.externalOrderId ? ` (${r.externalOrderId})` : ''}: ${r.error}`);
console.log(JSON.stringify(totals));
process.exit(totals.rejected > 0 ? 1 : 0);
