/**
 * `npm run export-orders -- [--status SHIPPED] [--channel web] [--from 2026-12-01] [--to ...]
 * [--sku ...] [--out orders.csv] [--url http://127.0.0.1:3000]`: every order the filters match as
 * one CSV (one row per order line), following GET /orders/export's chunks; the count so far on
 * stderr. Authenticates as ops (OMS_TOKEN, or the local cloud's ops client).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { opsAuthorization } from './ops-token';

const FILTERS = ['status', 'channel', 'from', 'to', 'sku', 'customerEmail', 'customerId', 'externalOrderId'];
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    out: { type: 'string' },
    ...Object.fromEntries(FILTERS.map((name) => [name, { type: 'string' as const }])),
  },
});
const url = String(values.url);
const authorization = await opsAuthorization(url);
const out = values.out ? createWriteStream(String(values.out)) : process.stdout;
const query = new URLSearchParams(
  FILTERS.flatMap((name) => {
    const value = values[name as keyof typeof values];
    return typeof value === 'string' ? [[name, value] as [string, string]] : [];
  }),
);

let next: string | undefined = `/orders/export?${query.toString()}`;
let orders = 0;
let first = true;
while (next) {
  const response: Response = await fetch(`${url}${next}`, { headers: { authorization } });
  if (!response.ok) {
    console.error(`\nGET ${next} answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
  const csv = await response.text();
  // Every chunk starts with the header row: the file keeps the first one only.
  out.write(first ? csv : csv.slice(csv.indexOf('\r\n') + 2));
  first = false;
  orders += Number(response.headers.get('oms-orders') ?? 0);
  process.stderr.write(
    `${process.stderr.isTTY ? '\r' : ''}exported ${orders} orders${process.stderr.isTTY ? '' : '\n'}`,
  );
  next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
}
if (process.stderr.isTTY) process.stderr.write('\n');
if (out !== process.stdout) out.end();
