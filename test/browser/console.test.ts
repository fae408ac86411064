import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from '../support/browser';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A 404 is an answer the page reads (no routing decision yet, no execution yet); the browser logs it anyway.
    if (message.type() === 'error' && !/status of 404/.test(message.text()))
      problems.push(`console error: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
});

// What the page showed when a test failed: the screenshot says more than the locator's timeout.
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  await page.screenshot({ path: path.join(SCREENSHOTS, 'failed.png'), fullPage: true });
  if (problems.length > 0) console.error(`The page reported:\n${problems.join('\n')}`);
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const orderStatus = async (id: string) => (await request(api(), 'GET', `/orders/${id}`)).body.status;

describe('ops console in Chromium', () => {
  it('serves the page with a content security policy, its files with ETags (304 when unchanged), and 404 problem+json for a file it does not have', async () => {
    const html = await request(api(), 'GET', '/console', { token: null });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await request(api(), 'GET', '/console/app.js', { token: null });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const etag = script.headers.get('etag') ?? '';
    const again = await request(api(), 'GET', '/console/app.js', {
      token: null,
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const missing = await request(api(), 'GET', '/console/nope.js', { token: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('asks for a token when it has none, and for another when the API refuses it', async () => {
    await page.goto(`${api()}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Ops token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The API refused the token').waitFor();
  });

  it('shows an order placed through the API as it arrives, opens it with its execution graph on the current state, and holds and releases it from the page', async () => {
    problems.length = 0; // the refused token's 401 above is logged by the browser, rightly
    const token = await tokenOf(env.cloud, 'ops');
    await page.goto(`${api()}/console#token=${encodeURIComponent(token)}`);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();

    await stockUp(api(), 'console-wh', 'CONSOLE-SKU', 5);
    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody({ lines: [{ sku: 'CONSOLE-SKU', quantity: 1, unitPrice: 12990 }] }),
      headers: { 'idempotency-key': newKey() },
    });
    expect(placed.status).toBe(201);
    const id = String(placed.body.id);

    // The list polls: the new order appears without a reload.
    const row = page.locator(`tr[data-order="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    await shot('console-orders');
    await row.getByRole('link').click();

    // The warehouse has not packed it: the workflow waits in RequestPick inside FulfilShipments.
    await page
      .locator('.execution-graph [data-state="RequestPick"][data-run="waiting"]')
      .waitFor({ timeout: 20_000 });
    await expect(
      page.locator('.execution-graph [data-state="FulfilShipments"]').getAttribute('data-run'),
    ).resolves.toBe('current');
    await expect(
      page.locator('.execution-graph [data-state="PrepareOrder"]').getAttribute('data-run'),
    ).resolves.toBe('done');
    await expect(page.locator('[data-money="authorized"]').textContent()).resolves.toMatch(/129[.,]90/);
    await page.getByText(/^Ships from /).waitFor();
    await shot('console-order');

    await page.getByLabel('Hold reason').selectOption('fraud');
    await page.locator('[data-action="hold"]').click();
    await page.locator('[data-testid="order-status"]', { hasText: 'ON_HOLD' }).waitFor();
    expect(await orderStatus(id)).toBe('ON_HOLD');
    await shot('console-order-held');

    await page.locator('[data-action="release"]').click();
    await page.locator('[data-testid="order-status"]', { hasText: 'FULFILLING' }).waitFor();
    expect(await orderStatus(id)).toBe('FULFILLING');
    const timeline = await eventually(async () => {
      const text = (await page.locator('.timeline').textContent()) ?? '';
      return text.includes('OrderReleased') ? text : undefined;
    }, 15_000);
    expect(timeline).toContain('OrderOnHold');
    expect(problems).toEqual([]);
  });

  it("draws the KPI page from GET /kpis: the day's figures non-zero, rates with their counts, and the orders-per-day chart on its canvas", async () => {
    problems.length = 0;
    await page.goto(`${api()}/console#/kpis`);
    await page.getByRole('heading', { name: 'KPIs' }).waitFor();
    const placed = page.locator('[data-total="placed"]');
    await placed.waitFor();
    expect(Number(await placed.textContent())).toBeGreaterThanOrEqual(1);
    await expect(page.locator('[data-rate="fill"]').textContent()).resolves.toMatch(/%$/);
    const chart = page.getByRole('img', { name: 'Orders per day and channel' });
    await chart.waitFor();
    // Chart.js sized the canvas and drew on it: some pixel is not blank.
    // (The test's own types know no DOM: the canvas is described by the little it uses.)
    type Canvas = {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
    };
    const drawn = await chart.evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      return canvas.width > 0 && Array.prototype.some.call(pixels, (value: number) => value !== 0);
    });
    expect(drawn).toBe(true);
    await shot('console-kpis');
    expect(problems).toEqual([]);
  });

  it('shows the cost to serve of this build per 1,000 orders: a non-zero total, each service line and the functions', async () => {
    problems.length = 0;
    await page.goto(`${api()}/console#/cost`);
    const total = page.locator('[data-cost="total"]');
    await total.waitFor();
    expect(Number((await total.textContent())?.replace('$', ''))).toBeGreaterThan(0);
    const services = await page.locator('.cost-lines tbody tr td:first-child').allTextContents();
    expect(new Set(services)).toEqual(
      new Set([
        'Step Functions Standard',
        'Step Functions Express',
        'Lambda',
        'DynamoDB',
        'EventBridge',
        'API Gateway (HTTP API)',
        'SQS',
        'SES',
      ]),
    );
    await shot('console-cost');
    expect(problems).toEqual([]);
  });

  it('shows stuck and late: an order late in its stage (hours asked: 0), links to it, and redrives a stopped workflow from the page', async () => {
    problems.length = 0;
    await stockUp(api(), 'console-wh', 'CONSOLE-STUCK', 5);
    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody({ lines: [{ sku: 'CONSOLE-STUCK', quantity: 1, unitPrice: 1000 }] }),
      headers: { 'idempotency-key': newKey() },
    });
    const id = String(placed.body.id);
    await eventually(async () => ((await orderStatus(id)) === 'FULFILLING' ? true : undefined), 20_000);
    await env.cloud.idle();
    await env.aws.sfn.send(
      new StopExecutionCommand({ executionArn: env.aws.executionArn(id), error: 'OpsStopped' }),
    );

    await page.goto(`${api()}/console#/stuck`);
    await page.getByRole('heading', { name: 'Stuck and late' }).waitFor();
    await page.getByLabel('Older than hours').fill('0');
    await page.getByLabel('Older than hours').press('Tab');
    await page.locator(`tr[data-late="${id}"]`).waitFor({ timeout: 15_000 });
    const stopped = page.locator(`tr[data-stopped="${id}"]`);
    await stopped.waitFor({ timeout: 15_000 });
    await shot('console-stuck');
    await stopped.locator('[data-action="redrive"]').click();
    await page.getByText('Redrive: done').waitFor();
    await expect(
      env.aws.sfn
        .send(new DescribeExecutionCommand({ executionArn: env.aws.executionArn(id) }))
        .then((x) => x.status),
    ).resolves.toBe('RUNNING');
    await page.locator(`tr[data-late="${id}"] a`).click();
    await page.locator('[data-testid="order-status"]').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows stock per SKU and location with its ATS, and the invariant check passing', async () => {
    problems.length = 0;
    await page.goto(`${api()}/console#/inventory`);
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    const row = page.locator('tr[data-sku="CONSOLE-SKU"]');
    await row.waitFor();
    expect(Number(await row.locator('[data-ats]').textContent())).toBeGreaterThanOrEqual(0);
    await page.locator('[data-action="check"]').click();
    await page.locator('[data-check="ok"]').waitFor();
    await shot('console-inventory');
    expect(problems).toEqual([]);
  });

  it("finds an order by the channel's order id in the search box, opens one by its id, and counts orders per status as filters", async () => {
    problems.length = 0;
    const placed = await request(api(), 'POST', '/orders', {
      body: orderBody({
        externalOrderId: 'WEB-4321',
        lines: [{ sku: 'CONSOLE-SKU', quantity: 1, unitPrice: 1000 }],
      }),
      headers: { 'idempotency-key': newKey() },
    });
    const id = String(placed.body.id);
    await env.cloud.idle(); // settled, waiting for its pick: its status no longer moves under the test
    await page.goto(`${api()}/console#/orders`);
    await page.getByLabel('Search orders').fill('WEB-4321');
    await page.getByRole('button', { name: 'Search' }).click();
    // The filtered page replaces the unfiltered one (where the new order is the newest row too).
    await eventually(
      async () => ((await page.locator('table.orders tbody tr').count()) === 1 ? true : undefined),
      10_000,
    );
    await page.locator(`tr[data-order="${id}"]`).waitFor();
    const fulfilling = page.locator('[data-count="FULFILLING"]');
    await fulfilling.waitFor();
    expect(Number((await fulfilling.textContent())?.replace('FULFILLING', ''))).toBeGreaterThanOrEqual(1);
    await fulfilling.click();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('FULFILLING');
    await page.getByLabel('Search orders').fill(id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`section.order[data-order="${id}"]`).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows integrations: a failing webhook subscriber with what has not reached it and its last answer, sends it again from the page once the subscriber is back, and lists a bulk job with its counts', async () => {
    problems.length = 0;
    let up = false;
    const subscriber = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(up ? 200 : 503).end());
    });
    await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/erp`;
      const subscription = await request(api(), 'POST', '/webhook-subscriptions', {
        body: { url, eventTypes: ['OrderPlaced'], description: 'ERP' },
      });
      const subscriptionId = String(subscription.body.id);
      await stockUp(api(), 'console-wh', 'CONSOLE-HOOK', 5);
      const placed = await request(api(), 'POST', '/orders', {
        body: orderBody({ lines: [{ sku: 'CONSOLE-HOOK', quantity: 1, unitPrice: 1000 }] }),
        headers: { 'idempotency-key': newKey() },
      });
      const orderId = String(placed.body.id);

      await page.goto(`${api()}/console#/integrations`);
      await page.getByRole('heading', { name: 'Integrations' }).waitFor();
      const card = page.locator(`article[data-subscription="${subscriptionId}"]`);
      const delivery = card.locator('tr[data-delivery]').filter({ hasText: 'OrderPlaced' });
      await delivery.locator('[data-last-answer]', { hasText: 'HTTP 503' }).waitFor({ timeout: 20_000 });
      expect(await delivery.textContent()).toContain(`order:${orderId}`);

      up = true;
      await delivery.locator('[data-action="redeliver"]').click();
      await page.getByText('Send again: done').waitFor();
      await card.locator('[data-undelivered="0"]').waitFor();

      const job = await request(api(), 'POST', '/bulk-jobs', {
        body: { action: 'hold', filter: { sku: 'CONSOLE-HOOK' }, reason: 'fraud' },
        headers: { 'idempotency-key': newKey() },
      });
      const row = page.locator(`tr[data-job="${String(job.body.id)}"]`);
      await page.reload();
      await row.locator('[data-job-status]', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 20_000 });
      expect(await row.locator('[data-applied]').textContent()).toBe('1');
      await shot('console-integrations');
      await request(api(), 'DELETE', `/webhook-subscriptions/${subscriptionId}`);
      expect(problems).toEqual([]);
    } finally {
      await new Promise((resolve) => subscriber.close(resolve));
    }
  });
});
