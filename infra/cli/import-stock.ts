/**
 * `npm run import-stock -- counts.csv [--url http://127.0.0.1:3000]`: sends a CSV of cycle counts
 * (sku,locationId,onHand[,safetyStock,lowStockThreshold]) to POST /inventory/import in chunks of
 * 250 rows with a progress bar. The Idempotency-Key of each chunk comes from the file's content,
 * so running the same file again replays instead of counting twice, and a chunk the OMS could not
 * take (503, 429, a dropped connection) is simply sent again. Exits 1 if any row was rejected.
 * Authenticates as ops (OMS_TOKEN, or the local cloud's ops client).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCsv } from '../../shared/contracts/csv';
import { opsAuthorization } from './ops-token';
import { postChunk } from './post-chunk';
import { progressBar } from './progress-bar';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string', default: 'http://127.0.0.1:3000' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run import-stock -- <file.csv> [--url http://127.0.0.1:3000]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const rows = parseCsv(text);
const fileHash = createHash('sha256').update(text).digest('hex').slice(0, 24);
const authorization = await opsAuthorization(String(values.url));
const show = progressBar(rows.length, 'rows');
const totals = { applied: 0, replayed: 0, rejected: 0 };
const rejected: Array<{ row: number; error?: string }> = [];
/** Rows per request: well under the API's 1,000, so each stays far inside the function's timeout. */
const CHUNK_ROWS = 250;

show(0);
for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
  const chunk = rows.slice(start, start + CHUNK_ROWS);
  const response = await postChunk(
    `${values.url}/inventory/import`,
    { rows: chunk },
    {
      authorization,
      idempotencyKey: `import-${fileHash}-${start}`,
    },
  );
  const report = (await response.json()) as typeof totals & {
    results?: Array<{ row: number; status: string; error?: string }>;
    detail?: string;
  };
  if (!response.ok) {
    console.error(
      `\nThe OMS refused rows ${start + 1}-${start + chunk.length}: ${response.status} ${report.detail ?? ''}`,
    );
    process.exit(1);
  }
  totals.applied += report.applied;
  totals.replayed += report.replayed;
  totals.rejected += report.rejected;
  for (const r of report.results ?? [])
    if (r.status === 'rejected') rejected.push({ row: start + r.row, error: r.error });
  show(
    start + chunk.length,
    `(applied ${totals.applied}, replayed ${totals.replayed}, rejected ${totals.rejected})`,
  );
}
for (const r of rejected) console.error(`row ${r.row}: ${r.error}`);
console.log(JSON.stringify(totals));
process.exit(totals.rejected > 0 ? 1 : 0);
