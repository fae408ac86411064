import { createHash } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRoute } from '../../shared/contracts/api-routes';
import { Audience } from '../../shared/domain/access';
import type { ShipmentView } from '../support/carriers';
import { eventually, request } from '../support/http';
import { stockUp } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf as issueFor } from '../support/tokens';

const env = useTestCloud();
const api = () => env.cloud.apiUrl;

const tokenOf = (clientName: string, options?: Parameters<typeof issueFor>[2]) =>
  issueFor(env.cloud, clientName, options);

/** Everything the OMS keeps, as one digest: an attack that changed anything changes it. */
async function stateDigest(): Promise<string> {
  // Settled first: the projections write a batch window after the events that feed them.
  await env.cloud.idle();
  const items = await env.aws.items();
  const rows = items.map((i) => JSON.stringify(i)).sort();
  return createHash('sha256').update(rows.join('\n')).digest('hex');
}

/** A request to a route with its parameters filled in and a body that would pass for JSON. */
function call(route: ApiRoute, token: string | null) {
  const path = route.path
    .replace('{id}', '01JTESTORDER0000000000000')
    .replace('{sku}', 'TSHIRT-RED-M')
    .replace('{locationId}', 'cd-sp');
  return request(api(), route.method, path, {
    token,
    headers: { 'idempotency-key': newKey() },
    ...(route.method === 'GET' ? {} : { body: {} }),
  });
}

/** A client whose audience the route does not admit, if the template has one. */
function outsider(route: ApiRoute): string | undefined {
  const access = route.access as readonly Audience[];
  if (!access.includes(Audience.OPS)) return 'ops';
  if (!access.includes(Audience.CHANNEL)) return 'channel-web';
  if (!access.includes(Audience.WAREHOUSE)) return 'warehouse-cd-sp';
  return undefined;
}

const protectedRoutes = API_ROUTES.filter((r) => Array.isArray(r.access));

describe('attack suite: every protected route', () => {
  let forged: string;
  let before: string;

  beforeAll(async () => {
    // Same claims and the same key id as a real ops token, signed with a key of the attacker's.
    const real = await tokenOf('ops');
    const [header, payload] = real
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    const { privateKey } = await generateKeyPair('RS256');
    forged = await new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
    before = await stateDigest();
  });

  it.each(protectedRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'refuses %s without a token, with a forged, an expired or a foreign-audience token, and for the wrong audience',
    async (_name, route) => {
      const none = await call(route, null);
      expect(none.status).toBe(401);
      expect((await call(route, 'not-a-jwt')).status).toBe(401);
      const forgedReply = await call(route, forged);
      expect(forgedReply.status).toBe(401);
      expect(forgedReply.headers.get('www-authenticate')).toContain('invalid_token');
      const expired = await call(route, await tokenOf('ops', { lifetimeSeconds: -120 }));
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('expired');
      const foreign = await call(route, await tokenOf('ops', { claims: { aud: 'another-api' } }));
      expect(foreign.status).toBe(401);
      expect(foreign.headers.get('www-authenticate')).toContain('audience');
      const stranger = outsider(route);
      if (stranger) {
        const wrong = await call(route, await tokenOf(stranger));
        expect(wrong.status).toBe(403);
        expect(wrong.headers.get('www-authenticate')).toContain('insufficient_scope');
      }
    },
  );

  it('changed nothing while refusing them', async () => {
    expect(await stateDigest()).toBe(before);
  });

  it('leaves the public routes and the signed carrier webhook open to callers without a token', async () => {
    expect((await request(api(), 'GET', '/health', { token: null })).status).toBe(200);
    expect((await request(api(), 'GET', '/openapi.json', { token: null })).status).toBe(200);
    // Reaches the function, which refuses the missing signature itself.
    const webhook = await request(api(), 'POST', '/webhooks/carriers/swiftpost', { token: null, body: {} });
    expect(webhook.status).toBe(401);
    expect(webhook.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('attack suite: across tenants', () => {
  let webOrder: string;
  let shipment: ShipmentView;

  beforeAll(async () => {
    await stockUp(api(), 'cd-sp', 'TENANT-SKU', 50);
    const placed = await request(api(), 'POST', '/orders', {
      token: await tokenOf('channel-web'),
      headers: { 'idempotency-key': newKey() },
      body: orderBody({ lines: [{ sku: 'TENANT-SKU', quantity: 1, unitPrice: 1000 }] }),
    });
    expect(placed.status).toBe(201);
    webOrder = String(placed.body.id);
    shipment = await eventually(async () => {
      const items = (await request(api(), 'GET', `/orders/${webOrder}/shipments`)).body
        .items as ShipmentView[];
      return items?.[0]?.status === 'PICK_REQUESTED' ? items[0] : undefined;
    }, 30_000);
  });

  it("refuses channel A reading channel B's order, its events and its shipments, with problem+json", async () => {
    const marketplace = await tokenOf('channel-marketplace');
    for (const path of [
      `/orders/${webOrder}`,
      `/orders/${webOrder}/events`,
      `/orders/${webOrder}/shipments`,
    ]) {
      const reply = await request(api(), 'GET', path, { token: marketplace });
      expect(reply.status, path).toBe(403);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.text).not.toContain('ana@example.com');
    }
    const own = await request(api(), 'GET', `/orders/${webOrder}`, { token: await tokenOf('channel-web') });
    expect(own.status).toBe(200);
    expect((own.body.customer as { email: string }).email).toBe('ana@example.com');
  });

  it("lists only the caller's own channel, and refuses a listing of another channel", async () => {
    const marketplace = await tokenOf('channel-marketplace');
    const listed = await request(api(), 'GET', '/orders?limit=100', { token: marketplace });
    expect(listed.status).toBe(200);
    expect((listed.body.items as Array<{ channel: string }>).every((o) => o.channel === 'marketplace')).toBe(
      true,
    );
    const other = await request(api(), 'GET', '/orders?channel=web', { token: marketplace });
    expect(other.status).toBe(403);
    expect(other.body.pointer).toBe('#/query/channel');
  });

  it('refuses an order placed for another channel, creating nothing', async () => {
    const before = await stateDigest();
    const reply = await request(api(), 'POST', '/orders', {
      token: await tokenOf('channel-marketplace'),
      headers: { 'idempotency-key': newKey() },
      body: orderBody({ channel: 'web' }),
    });
    expect(reply.status).toBe(403);
    expect(reply.body.pointer).toBe('#/channel');
    expect(await stateDigest()).toBe(before);
  });

  it("refuses warehouse X packing or counting warehouse Y's shipment and stock, changing nothing", async () => {
    expect(shipment.locationId).toBe('cd-sp');
    const rj = await tokenOf('warehouse-cd-rj');
    const before = await stateDigest();
    const packed = await request(api(), 'POST', `/shipments/${shipment.id}/events`, {
      token: rj,
      body: { type: 'packed', packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 20, heightCm: 10 }] },
    });
    expect(packed.status).toBe(403);
    const counted = await request(api(), 'PUT', '/inventory/TENANT-SKU/locations/cd-sp', {
      token: rj,
      headers: { 'idempotency-key': newKey() },
      body: { onHand: 0 },
    });
    expect(counted.status).toBe(403);
    expect((await request(api(), 'GET', '/locations/cd-sp', { token: rj })).status).toBe(403);
    expect(await stateDigest()).toBe(before);

    const own = await request(api(), 'POST', `/shipments/${shipment.id}/events`, {
      token: await tokenOf('warehouse-cd-sp'),
      body: { type: 'packed', packages: [{ weightGrams: 500, lengthCm: 20, widthCm: 20, heightCm: 10 }] },
    });
    expect(own.status).toBe(200);
  });

  it('keeps idempotency keys per caller: the same key from two channels places two orders', async () => {
    const key = newKey();
    const web = await request(api(), 'POST', '/orders', {
      token: await tokenOf('channel-web'),
      headers: { 'idempotency-key': key },
      body: orderBody({ lines: [{ sku: 'TENANT-SKU', quantity: 1, unitPrice: 1000 }] }),
    });
    const marketplace = await request(api(), 'POST', '/orders', {
      token: await tokenOf('channel-marketplace'),
      headers: { 'idempotency-key': key },
      body: orderBody({
        channel: 'marketplace',
        lines: [{ sku: 'TENANT-SKU', quantity: 1, unitPrice: 1000 }],
      }),
    });
    expect([web.status, marketplace.status]).toEqual([201, 201]);
    expect(web.body.id).not.toBe(marketplace.body.id);
    expect(marketplace.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('the local token endpoint', () => {
  it('grants a client only the scopes it is allowed, and refuses a wrong secret', async () => {
    const { clientId, clientSecret } =
      env.cloud.cognito.clients().find((c) => c.clientName === 'channel-web') ?? {};
    const post = (form: Record<string, string>, secret = String(clientSecret)) =>
      fetch(`${env.cloud.awsEndpoint}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams(form).toString(),
      });
    const granted = await post({ grant_type: 'client_credentials' });
    expect(granted.status).toBe(200);
    const { access_token } = (await granted.json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(String(access_token.split('.')[1]), 'base64url').toString());
    expect(claims.scope.split(' ').sort()).toEqual(['oms/channel', 'oms/channel:web']);
    expect(claims.client_id).toBe(clientId);
    expect((await post({ grant_type: 'client_credentials', scope: 'oms/ops' })).status).toBe(400);
    expect((await post({ grant_type: 'client_credentials' }, 'wrong')).status).toBe(400);
    const jwks = await fetch(
      `${env.cloud.awsEndpoint}/${env.cloud.cognito.clients()[0]?.userPoolId}/.well-known/jwks.json`,
    );
    const [key] = ((await jwks.json()) as { keys: Array<{ kty: string; d?: string }> }).keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(key?.d).toBeUndefined();
  });
});
