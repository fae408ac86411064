import { randomUUID } from 'node:crypto';
import { type RunResult, runConcurrently } from './stats';

/** The order every bench run places: the same lines, customer and address in the OMS and in a peer. */
export interface BenchOrder {
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  currency: string;
  email: string;
  name: string;
  address: { line1: string; city: string; postalCode: string; country: string };
}

/** The bench's order: two lines, as a storefront sends it. */
export const BENCH_ORDER: BenchOrder = {
  lines: [
    { sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: 4990 },
    { sku: 'MUG-01', quantity: 1, unitPrice: 2500 },
  ],
  currency: 'BRL',
  email: 'bench@example.com',
  name: 'Bench',
  address: { line1: 'Av. Paulista 1000', city: 'São Paulo', postalCode: '01310-100', country: 'BR' },
};

/** The OMS's POST /orders body for a bench order. */
export function omsOrderBody(order: BenchOrder) {
  return {
    channel: 'web',
    customer: { id: 'bench', email: order.email, name: order.name },
    shippingAddress: { name: order.name, ...order.address },
    lines: order.lines,
    currency: order.currency,
    payment: { method: 'card', token: 'tok_visa' },
  };
}

/**
 * A second order system the bench places the same orders through, on the same machine, so one
 * run prints the OMS and the peer side by side. `placeOrder` resolves once the peer has
 * accepted the order as placed (its own checkout done) and rejects with what the peer answered.
 */
export interface PeerSystem {
  readonly name: string;
  /** Places the order; resolves with the peer's id for it. */
  placeOrder(order: BenchOrder): Promise<string>;
}

/** An HTTP call that must succeed; the error carries the peer's answer. */
async function call(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Another OMS (a deployment on AWS, or a second local cloud), through POST /orders with a bearer token. */
export function omsPeer(baseUrl: string, token: () => Promise<string>, name = 'OMS'): PeerSystem {
  return {
    name,
    async placeOrder(order) {
      const placed = await call(`${baseUrl}/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token()}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(omsOrderBody(order)),
      });
      return String(placed.id);
    },
  };
}

/** What a Medusa v2 store needs to sell the bench's order: its keys and the variants of the bench's SKUs. */
export interface MedusaConfig {
  publishableKey: string;
  regionId: string;
  /** Variant id per bench SKU. */
  variants: Record<string, string>;
  /** Payment provider of the store's region. @default 'pp_system_default' (Medusa's manual provider) */
  paymentProvider?: string;
}

/**
 * Medusa v2's full storefront checkout through its Store API, the flow its own starter
 * storefront runs: cart, address, shipping method, payment collection and session, complete.
 * Written from Medusa's Store API reference; no Medusa runs on this project's machines, so it is
 * exercised only where one is given (`npm run bench -- --peer medusa --peer-url ...`).
 */
export function medusaPeer(baseUrl: string, config: MedusaConfig): PeerSystem {
  const headers = { 'content-type': 'application/json', 'x-publishable-api-key': config.publishableKey };
  const post = (path: string, body: unknown) =>
    call(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    name: 'Medusa',
    async placeOrder(order) {
      const items = order.lines.map((line) => {
        const variant = config.variants[line.sku];
        if (!variant) throw new Error(`No Medusa variant given for SKU ${line.sku}`);
        return { variant_id: variant, quantity: line.quantity };
      });
      const [firstName = order.name, ...rest] = order.name.split(' ');
      const address = {
        first_name: firstName,
        last_name: rest.join(' ') || firstName,
        address_1: order.address.line1,
        city: order.address.city,
        postal_code: order.address.postalCode,
        country_code: order.address.country.toLowerCase(),
      };
      const { cart } = (await post('/store/carts', {
        region_id: config.regionId,
        email: order.email,
        items,
        shipping_address: address,
        billing_address: address,
      })) as { cart: { id: string } };
      const options = (await call(`${baseUrl}/store/shipping-options?cart_id=${cart.id}`, { headers })) as {
        shipping_options: Array<{ id: string }>;
      };
      const option = options.shipping_options[0];
      if (!option) throw new Error(`Medusa offers no shipping option for cart ${cart.id}`);
      await post(`/store/carts/${cart.id}/shipping-methods`, { option_id: option.id });
      const { payment_collection: collection } = (await post('/store/payment-collections', {
        cart_id: cart.id,
      })) as { payment_collection: { id: string } };
      await post(`/store/payment-collections/${collection.id}/payment-sessions`, {
        provider_id: config.paymentProvider ?? 'pp_system_default',
      });
      const completed = (await post(`/store/carts/${cart.id}/complete`, {})) as {
        type?: string;
        order?: { id: string };
      };
      if (completed.type !== 'order' || !completed.order)
        throw new Error(`Medusa did not place cart ${cart.id} as an order`);
      return completed.order.id;
    },
  };
}

/**
 * The peer a bench run names: `--peer oms --peer-url URL` (token in OMS_TOKEN), or
 * `--peer medusa --peer-url URL` with MEDUSA_PUBLISHABLE_KEY, MEDUSA_REGION_ID and
 * MEDUSA_VARIANTS (`SKU=variant_id,...`).
 */
export function peerFromFlags(kind: string, url: string, env: NodeJS.ProcessEnv): PeerSystem {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`--peer ${kind} needs ${name}`);
    return value;
  };
  if (kind === 'oms') {
    const token = required('OMS_TOKEN');
    return omsPeer(url, async () => token);
  }
  if (kind === 'medusa')
    return medusaPeer(url, {
      publishableKey: required('MEDUSA_PUBLISHABLE_KEY'),
      regionId: required('MEDUSA_REGION_ID'),
      variants: Object.fromEntries(
        required('MEDUSA_VARIANTS')
          .split(',')
          .map((pair) => pair.split('=').map((s) => s.trim()) as [string, string]),
      ),
      ...(env.MEDUSA_PAYMENT_PROVIDER ? { paymentProvider: env.MEDUSA_PAYMENT_PROVIDER } : {}),
    });
  throw new Error(`Unknown peer ${kind}: oms or medusa`);
}

/**
 * Places `count` bench orders through `peer` at `concurrency`; a refused order is counted, not
 * thrown (a peer failing some orders under load is a figure too), with its first error kept.
 */
export async function placeThrough(
  peer: PeerSystem,
  count: number,
  concurrency: number,
): Promise<RunResult & { failed: number; firstError?: string }> {
  let failed = 0;
  let firstError: string | undefined;
  const result = await runConcurrently(`${peer.name} place order`, count, concurrency, async () => {
    try {
      await peer.placeOrder(BENCH_ORDER);
    } catch (error) {
      failed++;
      firstError ??= (error as Error).message;
    }
  });
  return { ...result, failed, ...(firstError === undefined ? {} : { firstError }) };
}
