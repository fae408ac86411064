import { randomUUID } from 'node:crypto';
import { request } from './http';

/** A valid POST /orders body; override any part. */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'web',
    customer: { id: 'cust-1', email: 'ana@example.com', name: 'Ana Souza' },
    shippingAddress: {
      name: 'Ana Souza',
      line1: 'Av. Paulista 1000',
      city: 'São Paulo',
      region: 'SP',
      postalCode: '01310-100',
      country: 'BR',
      lat: -23.5614,
      lon: -46.6559,
    },
    lines: [
      { sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: 4990 },
      { sku: 'MUG-01', quantity: 1, unitPrice: 2500 },
    ],
    currency: 'BRL',
    payment: { method: 'card', token: 'tok_visa' },
    ...overrides,
  };
}

export const newKey = () => randomUUID();

/** Places an order of these lines (1000 each) through the API and returns its id. */
export async function placeLines(
  apiUrl: string,
  lines: Array<{ sku: string; quantity: number }>,
): Promise<string> {
  const reply = await request(apiUrl, 'POST', '/orders', {
    body: orderBody({ lines: lines.map((l) => ({ ...l, unitPrice: 1000 })) }),
    headers: { 'idempotency-key': newKey() },
  });
  if (reply.status !== 201) throw new Error(`POST /orders answered ${reply.status}: ${reply.text}`);
  return String(reply.body.id);
}
