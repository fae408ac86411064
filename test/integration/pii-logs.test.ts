import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/local-cloud';
import { reportPacked, type ShipmentView } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { startTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

let cloud: LocalCloud;
let logs = '';
const capture = new Writable({
  write(chunk, _encoding, done) {
    logs += chunk.toString();
    done();
  },
});

beforeAll(async () => {
  cloud = await startTestCloud({ functionLogs: capture });
});
afterAll(async () => {
  await cloud?.stop();
});

describe('function logs', () => {
  it('never contain a customer email, a street address or a token, over a run with failures in it', async () => {
    const api = cloud.apiUrl;
    const web = await tokenOf(cloud, 'channel-web');
    const marketplace = await tokenOf(cloud, 'channel-marketplace');
    const customer = { id: 'cust-pii', email: 'pii.person@example.org', name: 'Pii Person' };
    const address = {
      name: 'Pii Person',
      line1: 'Rua Secreta 4242',
      city: 'Curitiba',
      region: 'PR',
      postalCode: '80010-000',
      country: 'BR',
    };
    await stockUp(api, 'cd-sp', 'PII-SKU', 10);
    const placed = await request(api, 'POST', '/orders', {
      token: web,
      headers: { 'idempotency-key': newKey() },
      body: orderBody({
        customer,
        shippingAddress: address,
        lines: [{ sku: 'PII-SKU', quantity: 1, unitPrice: 900 }],
      }),
    });
    expect(placed.status).toBe(201);
    const id = String(placed.body.id);
    // Refusals and validation failures carrying the same personal data.
    await request(api, 'GET', `/orders/${id}`, { token: marketplace });
    await request(api, 'POST', '/orders', {
      token: web,
      headers: { 'idempotency-key': newKey() },
      body: orderBody({
        customer: { ...customer, email: 'pii.person@' },
        shippingAddress: { ...address, country: 'XX' },
      }),
    });
    await request(api, 'POST', '/orders', {
      token: marketplace,
      headers: { 'idempotency-key': newKey() },
      body: orderBody({ customer, shippingAddress: address }),
    });
    const [shipment] = await eventually(async () => {
      const items = (await request(api, 'GET', `/orders/${id}/shipments`)).body.items as ShipmentView[];
      return items?.[0]?.status === 'PICK_REQUESTED' ? items : undefined;
    }, 15_000);
    await reportPacked(api, String(shipment?.id));
    await eventually(
      async () => ((await request(api, 'GET', `/orders/${id}`)).body.status === 'SHIPPED' ? true : undefined),
      15_000,
    );
    await cloud.idle();

    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [
      'pii.person@example.org',
      'pii.person@',
      'Rua Secreta',
      '80010-000',
      'Pii Person',
      web,
      marketplace,
      'Bearer ',
    ])
      expect(logs, secret).not.toContain(secret);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
  });
});
