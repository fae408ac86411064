import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/oms-function';
import { parseCsv } from '../../shared/contracts/csv';
import { request } from '../support/http';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

/** What ops do to many orders at once: export them, and hold, release or cancel them by filter. */
const env = useTestCloud();
const api = () => env.cloud.apiUrl;

async function placeMany(
  count: number,
  overrides: (i: number) => Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody(overrides(i)),
      headers: { 'idempotency-key': newKey() },
    });
    expect(placed.status).toBe(201);
    ids.push(String(placed.body.id));
  }
  return ids;
}

describe('order export (CSV)', () => {
  it('exports the orders a filter matches as CSV, one row per line, in chunks linked by rel=next, and a channel only its own', async () => {
    const ids = await placeMany(5, (i) => ({
      channel: 'export-test',
      externalOrderId: `EXP-${i}`,
      customer: { id: 'c-exp', email: 'exp@example.com', name: i === 0 ? '=cmd|calc' : 'Exp, Customer' },
    }));
    const first = await request(api(), 'GET', '/orders/export?channel=export-test&limit=2');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(first.headers.get('oms-orders')).toBe('2');
    const rows = parseCsv(first.text);
    expect(rows).toHaveLength(4); // two orders of two lines each
    expect(rows[0]).toMatchObject({
      orderId: ids[4],
      channel: 'export-test',
      externalOrderId: 'EXP-4',
      sku: 'TSHIRT-RED-M',
      quantity: '2',
      unitPrice: '4990',
      lineTotal: '9980',
      customerName: 'Exp, Customer',
    });
    const next = /<([^>]+)>;\s*rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(/^\/orders\/export\?/);
    const all: Array<Record<string, string>> = [...rows];
    let link = next;
    while (link) {
      const chunk = await request(api(), 'GET', link);
      all.push(...parseCsv(chunk.text));
      link = /<([^>]+)>;\s*rel="next"/.exec(chunk.headers.get('link') ?? '')?.[1];
    }
    expect(new Set(all.map((r) => r.orderId))).toEqual(new Set(ids));
    // A cell a spreadsheet would run as a formula is written as text.
    expect(all.find((r) => r.orderId === ids[0])?.customerName).toBe("'=cmd|calc");

    const web = await tokenOf(env.cloud, 'channel-web');
    expect((await request(api(), 'GET', '/orders/export?channel=export-test', { token: web })).status).toBe(
      403,
    );
    const bad = await request(api(), 'GET', '/orders/export?limit=501');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '#/query/limit' })]);
  });

  it('writes every matching order into one file from the command line, following the chunks', async () => {
    const ids = await placeMany(3, (i) => ({ channel: 'export-cli', externalOrderId: `CLI-${i}` }));
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'oms-export-')), 'orders.csv');
    const run = await promisify(execFile)(
      'npx',
      ['tsx', 'infra/cli/export-orders.ts', '--channel', 'export-cli', '--out', out, '--url', api()],
      {
        cwd: PROJECT_ROOT,
        timeout: 120_000,
        env: { ...process.env, OMS_AWS_ENDPOINT: env.cloud.awsEndpoint },
      },
    );
    expect(run.stderr).toContain('exported 3 orders');
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.orderId))).toEqual(new Set(ids));
  }, 180_000);
});
