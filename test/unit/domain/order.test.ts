import { describe, expect, it } from 'vitest';
import { InvalidStateError, ValidationError } from '../../../shared/domain/errors';
import { minorUnitDigits } from '../../../shared/domain/money';
import {
  createOrder,
  type OrderDraft,
  reorderDraft,
  termsDays,
  transitionOrder,
} from '../../../shared/domain/order';
import { orderEvent } from '../../../shared/domain/order-events';
import { canTransition, isTerminal } from '../../../shared/domain/order-status';
import { sampleDraft } from '../../support/drafts';

const draft: OrderDraft = sampleDraft({ customer: { id: 'c1', email: 'a@example.com', name: 'A' } });

describe('createOrder', () => {
  it('computes line totals, item count and totals in integer minor units', () => {
    const order = createOrder(draft, { id: 'o1', now: '2026-01-01T00:00:00.000Z' });
    expect(order.lines.map((l) => [l.lineNumber, l.lineTotal])).toEqual([
      [1, 3000],
      [2, 250],
    ]);
    expect(order.totals).toEqual({ itemCount: 4, subtotal: 3250, grandTotal: 3250 });
  });

  it('starts PENDING at version 1 with the payment pending and a one-entry timeline', () => {
    const order = createOrder(draft, { id: 'o1', now: '2026-01-01T00:00:00.000Z' });
    expect(order).toMatchObject({
      status: 'PENDING',
      version: 1,
      shippingMethod: 'standard',
      correlationId: 'o1',
    });
    expect(order.payment.status).toBe('PENDING');
    expect(order.timeline).toEqual([{ status: 'PENDING', at: '2026-01-01T00:00:00.000Z' }]);
  });
});

describe('order status machine', () => {
  it('lets a pending order be confirmed, failed, cancelled or held', () => {
    for (const to of ['CONFIRMED', 'FAILED', 'CANCELLED', 'ON_HOLD'] as const)
      expect(canTransition('PENDING', to)).toBe(true);
  });

  it('rejects moving a pending order straight to shipped', () => {
    const order = createOrder(draft, { id: 'o1', now: '2026-01-01T00:00:00.000Z' });
    expect(() => transitionOrder(order, 'SHIPPED', '2026-01-01T00:00:01.000Z')).toThrow(InvalidStateError);
  });

  it('rejects cancelling an order that has shipped', () => {
    expect(canTransition('SHIPPED', 'CANCELLED')).toBe(false);
  });

  it('never leaves a delivered, cancelled or failed order', () => {
    expect(isTerminal('DELIVERED')).toBe(true);
    expect(isTerminal('CANCELLED')).toBe(true);
    expect(isTerminal('FAILED')).toBe(true);
    expect(isTerminal('ON_HOLD')).toBe(false);
  });

  it('records each transition in the timeline and bumps the version', () => {
    const order = createOrder(draft, { id: 'o1', now: '2026-01-01T00:00:00.000Z' });
    const failed = transitionOrder(order, 'FAILED', '2026-01-01T00:00:05.000Z', {
      reason: 'payment declined',
    });
    expect(failed).toMatchObject({ status: 'FAILED', version: 2, statusReason: 'payment declined' });
    expect(failed.timeline.at(-1)).toEqual({
      status: 'FAILED',
      at: '2026-01-01T00:00:05.000Z',
      reason: 'payment declined',
    });
    expect(order.status).toBe('PENDING');
  });
});

describe('order events', () => {
  it('carry a stable event id and the version as sequence, so a re-publish is recognisable', () => {
    const order = transitionOrder(
      createOrder(draft, { id: 'o1', now: '2026-01-01T00:00:00.000Z' }),
      'CONFIRMED',
      '2026-01-01T00:00:01.000Z',
    );
    const event = orderEvent(order, 'OrderConfirmed');
    expect(event).toMatchObject({
      source: 'oms.orders',
      detailType: 'OrderConfirmed',
      detail: {
        metadata: {
          eventId: 'o1-2',
          orderId: 'o1',
          sequence: 2,
          occurredAt: '2026-01-01T00:00:01.000Z',
          correlationId: 'o1',
        },
        data: { orderId: 'o1', status: 'CONFIRMED', grandTotal: 3250, currency: 'BRL' },
      },
    });
    expect(orderEvent(order, 'OrderConfirmed')).toEqual(event);
  });
});

describe('money', () => {
  it('knows the minor units of JPY, BRL and BHD', () => {
    expect([minorUnitDigits('JPY'), minorUnitDigits('BRL'), minorUnitDigits('BHD')]).toEqual([0, 2, 3]);
  });
});

describe('business orders', () => {
  const po = {
    number: 'PO-1',
    company: { id: 'acme', name: 'ACME' },
    buyer: { name: 'B', email: 'b@acme.example' },
  };

  it('put an invoice on the store default NET30 unless it names its own terms, and nothing else on terms', () => {
    const at = { id: 'o1', now: '2026-01-01T00:00:00.000Z' };
    expect(createOrder({ ...draft, payment: { method: 'invoice' } }, at).payment.terms).toBe('NET30');
    expect(createOrder({ ...draft, payment: { method: 'invoice', terms: 'NET90' } }, at).payment.terms).toBe(
      'NET90',
    );
    expect(createOrder(draft, at).payment.terms).toBeUndefined();
    expect(termsDays('NET45')).toBe(45);
  });

  it('order again what is left of an order, at its prices, under a new PO number, and never reuse a card token', () => {
    const order = createOrder(
      { ...draft, payment: { method: 'invoice', terms: 'NET60' }, purchaseOrder: po },
      { id: 'o1', now: '2026-01-01T00:00:00.000Z' },
    );
    const cut = {
      ...order,
      lines: order.lines.map((l) =>
        l.sku === 'A' ? { ...l, cancelledQuantity: 2 } : { ...l, cancelledQuantity: 1 },
      ),
    };
    expect(reorderDraft(cut, { purchaseOrderNumber: 'PO-2' })).toMatchObject({
      lines: [{ sku: 'A', quantity: 1, unitPrice: 1000 }],
      payment: { method: 'invoice', terms: 'NET60' },
      purchaseOrder: { ...po, number: 'PO-2' },
      reorderOf: 'o1',
    });
    const byCard = createOrder(draft, { id: 'o2', now: '2026-01-01T00:00:00.000Z' });
    expect(() => reorderDraft(byCard, {})).toThrow(ValidationError);
    expect(reorderDraft(byCard, { payment: { method: 'card', token: 'tok_new' } }).payment).toEqual({
      method: 'card',
      token: 'tok_new',
    });
  });
});
