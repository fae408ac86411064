import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { request } from '../support/http';
import { locationBody } from '../support/inventory';
import { newKey } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;
const root = path.resolve(import.meta.dirname, '../..');

describe('bulk stock import', () => {
  it('applies valid rows, reports each rejected one, and replays on retry', async () => {
    await request(api(), 'PUT', '/locations/imp-1', { body: locationBody() });
    const rows = [
      { sku: 'IMP-1', locationId: 'imp-1', onHand: 5 },
      { sku: 'IMP-2', locationId: 'nowhere', onHand: 5 },
      { sku: 'IMP-3', locationId: 'imp-1', onHand: -2 },
      { sku: 'IMP-4', locationId: 'imp-1', onHand: 7, lowStockThreshold: 2 },
    ];
    const key = newKey();
    const first = await request(api(), 'POST', '/inventory/import', {
      body: { rows },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ applied: 2, replayed: 0, rejected: 2 });
    const results = first.body.results as Array<{ row: number; status: string; error?: string }>;
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'applied']);
    expect(results[1]?.error).toBe('Location nowhere does not exist');
    expect(results[2]?.error).toContain('onHand');
    const again = await request(api(), 'POST', '/inventory/import', {
      body: { rows },
      headers: { 'idempotency-key': key },
    });
    expect(again.body).toMatchObject({ applied: 0, replayed: 2, rejected: 2 });
    expect(
      ((await request(api(), 'GET', '/inventory/IMP-1')).body.network as { onHand: number }).onHand,
    ).toBe(5);
  });

  it('takes a text/csv body', async () => {
    await request(api(), 'PUT', '/locations/imp-2', { body: locationBody() });
    const reply = await request(api(), 'POST', '/inventory/import', {
      raw: 'sku,locationId,onHand,safetyStock\nCSV-1,imp-2,12,2\nCSV-2,imp-2,3,\n',
      headers: { 'content-type': 'text/csv', 'idempotency-key': newKey() },
    });
    expect(reply.body).toMatchObject({ applied: 2, rejected: 0 });
    expect((await request(api(), 'GET', '/inventory/CSV-1')).body.network).toEqual({
      onHand: 12,
      reserved: 0,
      safetyStock: 2,
      ats: 10,
    });
  });

  it('refuses more than 1,000 rows in one request', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => ({ sku: `X-${i}`, locationId: 'imp-1', onHand: 1 }));
    const reply = await request(api(), 'POST', '/inventory/import', {
      body: { rows },
      headers: { 'idempotency-key': newKey() },
    });
    expect(reply.status).toBe(400);
    expect((reply.body.errors as Array<{ pointer: string }>)[0]?.pointer).toBe('#/rows');
  });

  it('imports a CSV file from the command line in chunks with a progress bar, and replays when run again', async () => {
    await request(api(), 'PUT', '/locations/imp-3', { body: locationBody() });
    const dir = mkdtempSync(path.join(tmpdir(), 'oms-import-'));
    const file = path.join(dir, 'counts.csv');
    // Two chunks of the CLI's 250 rows.
    const lines = Array.from({ length: 300 }, (_, i) => `CLI-${i},imp-3,${i % 50}`);
    writeFileSync(file, `sku,locationId,onHand\n${lines.join('\n')}\n`);
    const run = () =>
      promisify(execFile)('npx', ['tsx', 'infra/cli/import-stock.ts', file, '--url', api()], {
        cwd: root,
        timeout: 120_000,
        env: { ...process.env, OMS_AWS_ENDPOINT: env.cloud.awsEndpoint },
      });
    const first = await run();
    expect(JSON.parse(first.stdout.trim())).toEqual({ applied: 300, replayed: 0, rejected: 0 });
    expect(first.stderr).toContain('300/300 rows');
    const second = await run();
    expect(JSON.parse(second.stdout.trim())).toEqual({ applied: 0, replayed: 300, rejected: 0 });
  }, 180_000);
});
