import { request } from './http';
import { newKey } from './orders';

/** A valid PUT /locations/{id} body near São Paulo; override any part. */
export function locationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'CD São Paulo',
    type: 'warehouse',
    address: { city: 'São Paulo', region: 'SP', country: 'BR', lat: -23.55, lon: -46.63 },
    priority: 10,
    ...overrides,
  };
}

/** Creates a location and counts stock there, through the HTTP API. */
export async function stockUp(
  apiUrl: string,
  locationId: string,
  sku: string,
  onHand: number,
  extra: object = {},
) {
  await request(apiUrl, 'PUT', `/locations/${locationId}`, { body: locationBody() });
  return request(apiUrl, 'PUT', `/inventory/${sku}/locations/${locationId}`, {
    body: { onHand, ...extra },
    headers: { 'idempotency-key': newKey() },
  });
}

/** Plenty of every SKU the example order uses, so orders allocate and their workflows end. */
export async function stockForOrders(apiUrl: string): Promise<void> {
  await stockUp(apiUrl, 'cd-sp', 'TSHIRT-RED-M', 1_000_000);
  await stockUp(apiUrl, 'cd-sp', 'MUG-01', 1_000_000);
}
