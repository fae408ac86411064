import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/oms-function';
import { parseCsv } from '../../shared/contracts/csv';
import { eventually, request } from '../support/http';
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

interface JobView {
  id: string;
  status: string;
  matched: number;
  applied: number;
  skipped: number;
  failed: number;
  pages: number;
  skips: Array<{ orderId: string; reason: string }>;
}

const startJob = (body: Record<string, unknown>, key = newKey(), token?: string) =>
  request(api(), 'POST', '/bulk-jobs', {
    body,
    headers: { 'idempotency-key': key },
    ...(token ? { token } : {}),
  });

const finished = (id: string) =>
  eventually(async () => {
    const job = (await request(api(), 'GET', `/bulk-jobs/${id}`)).body as unknown as JobView;
    return job.status === 'RUNNING' ? undefined : job;
  }, 60_000);

const statuses = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => String((await request(api(), 'GET', `/orders/${id}`)).body.status)));

describe('bulk jobs', () => {
  it('holds every order a filter matches, page after page, as a job whose progress the API reads; skips one not in a state for it with why; the same key answers the same job; then releases them all', async () => {
    // 26 orders: more than one page of 25.
    const ids = await placeMany(26, () => ({ channel: 'bulk-hold' }));
    const [gone, ...rest] = ids as [string, ...string[]];
    expect(
      (
        await request(api(), 'POST', `/orders/${gone}/cancel`, {
          body: { reason: 'customer_request' },
          headers: { 'idempotency-key': newKey() },
        })
      ).status,
    ).toBe(200);

    const key = newKey();
    const body = {
      action: 'hold',
      filter: { channel: 'bulk-hold' },
      reason: 'fraud',
      note: 'chargeback wave',
    };
    const started = await startJob(body, key);
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/bulk-jobs/${started.body.id}`);
    expect(started.body).toMatchObject({ status: 'RUNNING', action: 'hold', matched: 0 });
    const again = await startJob(body, key);
    expect(again.body.id).toBe(started.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const held = await finished(String(started.body.id));
    expect(held).toMatchObject({
      status: 'SUCCEEDED',
      matched: 26,
      applied: 25,
      skipped: 1,
      failed: 0,
      pages: 2,
    });
    expect(held.skips).toEqual([{ orderId: gone, reason: expect.stringMatching(/CANCELLED/) }]);
    expect(new Set(await statuses(rest))).toEqual(new Set(['ON_HOLD']));
    const one = await request(api(), 'GET', `/orders/${rest[0]}`);
    expect(one.body.hold).toMatchObject({ kind: 'fraud', by: expect.any(String) });
    const listed = await request(api(), 'GET', '/bulk-jobs');
    expect((listed.body.items as JobView[]).map((j) => j.id)).toContain(started.body.id);

    const release = await startJob({
      action: 'release',
      filter: { channel: 'bulk-hold', status: 'ON_HOLD' },
    });
    expect(await finished(String(release.body.id))).toMatchObject({
      status: 'SUCCEEDED',
      applied: 25,
      failed: 0,
    });
    expect((await statuses(rest)).filter((s) => s === 'ON_HOLD')).toEqual([]);
  }, 180_000);

  it('cancels every order a filter matches, and refuses a job without a filter, a hold without its reason and a caller who is not ops, starting nothing', async () => {
    const ids = await placeMany(4, () => ({ channel: 'bulk-cancel' }));
    const job = await startJob({
      action: 'cancel',
      filter: { channel: 'bulk-cancel' },
      reason: 'customer_request',
    });
    expect(await finished(String(job.body.id))).toMatchObject({ status: 'SUCCEEDED', applied: 4 });
    expect(new Set(await statuses(ids))).toEqual(new Set(['CANCELLED']));

    const before = ((await request(api(), 'GET', '/bulk-jobs?limit=100')).body.items as JobView[]).length;
    const noFilter = await startJob({ action: 'cancel', filter: {}, reason: 'customer_request' });
    expect(noFilter.status).toBe(400);
    expect(noFilter.body.errors).toEqual([expect.objectContaining({ pointer: '#/filter' })]);
    const noReason = await startJob({ action: 'hold', filter: { channel: 'bulk-cancel' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ pointer: '#/reason' })]);
    const web = await tokenOf(env.cloud, 'channel-web');
    expect((await startJob({ action: 'release', filter: { channel: 'web' } }, newKey(), web)).status).toBe(
      403,
    );
    expect(((await request(api(), 'GET', '/bulk-jobs?limit=100')).body.items as JobView[]).length).toBe(
      before,
    );
    expect((await request(api(), 'GET', '/bulk-jobs/0123456789abcdef01234567')).status).toBe(404);
  });
});

describe('order import', () => {
  it("places a batch of orders, each on its own: a bad one and one of a channel not the caller's are rejected with why, the rest placed; the same key replays", async () => {
    const key = newKey();
    const body = {
      orders: [
        orderBody({ channel: 'import-test', externalOrderId: 'IMP-1' }),
        { ...orderBody({ externalOrderId: 'IMP-BAD' }), lines: [] },
        orderBody({ channel: 'import-test', externalOrderId: 'IMP-2', payment: { method: 'pix' } }),
      ],
    };
    const first = await request(api(), 'POST', '/orders/import', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ placed: 2, replayed: 0, rejected: 1 });
    const results = first.body.results as Array<{
      row: number;
      status: string;
      orderId?: string;
      error?: string;
    }>;
    expect(results[1]).toMatchObject({
      row: 2,
      status: 'rejected',
      externalOrderId: 'IMP-BAD',
      error: expect.stringMatching(/^lines:/),
    });
    const placed = await request(api(), 'GET', `/orders/${results[0]?.orderId}`);
    expect(placed.body).toMatchObject({ externalOrderId: 'IMP-1', channel: 'import-test' });

    const again = await request(api(), 'POST', '/orders/import', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(again.body).toMatchObject({ placed: 0, replayed: 2, rejected: 1 });
    expect((again.body.results as typeof results)[0]?.orderId).toBe(results[0]?.orderId);

    const web = await tokenOf(env.cloud, 'channel-web');
    const foreign = await request(api(), 'POST', '/orders/import', {
      body: { orders: [orderBody({ channel: 'import-test', externalOrderId: 'IMP-3' })] },
      headers: { 'idempotency-key': newKey() },
      token: web,
    });
    expect(foreign.body).toMatchObject({ placed: 0, rejected: 1 });
    const tooMany = await request(api(), 'POST', '/orders/import', {
      body: { orders: Array.from({ length: 51 }, () => orderBody()) },
      headers: { 'idempotency-key': newKey() },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ pointer: '#/orders' })]);
  });

  it('imports a CSV of order lines from the command line in chunks with a progress bar, and replays when run again', async () => {
    const header =
      'externalOrderId,channel,customerEmail,customerName,shipName,shipLine1,shipCity,shipPostalCode,shipCountry,currency,paymentMethod,sku,quantity,unitPrice';
    // 51 orders: two chunks (50 + 1).
    const rows = Array.from({ length: 51 }, (_, i) => [
      `CSV-${i},import-cli,c${i}@example.com,Cliente ${i},Cliente ${i},Rua ${i},São Paulo,01000-000,BR,BRL,pix,SKU-A,1,1000`,
      `CSV-${i},import-cli,,,,,,,,,,SKU-B,2,500`,
    ]).flat();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'oms-import-orders-')), 'orders.csv');
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    const run = () =>
      promisify(execFile)('npx', ['tsx', 'infra/cli/import-orders.ts', file, '--url', api()], {
        cwd: PROJECT_ROOT,
        timeout: 120_000,
        env: { ...process.env, OMS_AWS_ENDPOINT: env.cloud.awsEndpoint },
      });
    const first = await run();
    expect(JSON.parse(first.stdout.trim())).toEqual({ placed: 51, replayed: 0, rejected: 0 });
    expect(first.stderr).toContain('51/51 orders');
    const second = await run();
    expect(JSON.parse(second.stdout.trim())).toEqual({ placed: 0, replayed: 51, rejected: 0 });
    const exported = await request(api(), 'GET', '/orders/export?channel=import-cli');
    expect(parseCsv(exported.text)).toHaveLength(102);
  }, 180_000);
});
