import type { OrderDraft } from '../../shared/domain/order';

/** The small order the domain and application unit tests start from: two lines, a card, Brazil. */
export function sampleDraft(overrides: Partial<OrderDraft> = {}): OrderDraft {
  return {
    channel: 'web',
    customer: { email: 'a@example.com', name: 'A' },
    shippingAddress: { name: 'A', line1: 'x', city: 'y', postalCode: '1', country: 'BR' },
    lines: [
      { sku: 'A', quantity: 3, unitPrice: 1000 },
      { sku: 'B', quantity: 1, unitPrice: 250 },
    ],
    currency: 'BRL',
    payment: { method: 'card', token: 'tok_visa' },
    ...overrides,
  };
}
