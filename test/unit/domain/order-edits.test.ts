import { describe, expect, it } from 'vitest';
import { InvalidStateError, ValidationError } from '../../../shared/domain/errors';
import { createOrder, type Order } from '../../../shared/domain/order';
import { awaitsRouting, planEdit } from '../../../shared/domain/order-edits';
import type { ShipmentRecord } from '../../../shared/domain/shipment';
import { sampleDraft } from '../../support/drafts';

const at = '2026-12-06T10:00:00.000Z';
const meta = { id: 'o1-E1', key: 'ops:k', requestHash: 'h', at, by: 'ops' };

function fulfilling(): Order {
  const order = createOrder(sampleDraft(), { id: 'o1', now: at });
  return {
    ...order,
    status: 'FULFILLING',
    lines: order.lines.map((l) => (l.sku === 'B' ? { ...l, cancelledQuantity: 1 } : l)),
    shipments: [{ id: 'o1-1', locationId: 'cd', lines: [{ sku: 'A', quantity: 3 }] }],
  };
}

const record = (status: ShipmentRecord['status']): ShipmentRecord => ({
  id: 'o1-1',
  orderId: 'o1',
  locationId: 'cd',
  lines: [{ sku: 'A', quantity: 3 }],
  status,
  pickDueAt: at,
  history: [],
  version: 1,
  createdAt: at,
  updatedAt: at,
});

describe('planEdit', () => {
  it('re-prices kept lines at their price, adds new ones after the last number, keeps cancelled units, and calls the waiting shipment off', () => {
    const plan = planEdit(
      fulfilling(),
      [record('PICK_REQUESTED')],
      {
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'C', quantity: 2, unitPrice: 300 },
        ],
      },
      meta,
    );
    expect(plan.order.lines).toEqual([
      expect.objectContaining({ lineNumber: 1, sku: 'A', quantity: 1, lineTotal: 1000 }),
      expect.objectContaining({ lineNumber: 2, sku: 'B', quantity: 1, cancelledQuantity: 1 }),
      expect.objectContaining({ lineNumber: 3, sku: 'C', quantity: 2, lineTotal: 600 }),
    ]);
    expect(plan.hold).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'C', quantity: 2 },
    ]);
    expect(plan.edit).toMatchObject({
      changed: ['lines'],
      before: { openValue: 3000 },
      after: { openValue: 1600 },
    });
    expect(plan.order.status).toBe('ALLOCATED');
    expect(plan.order.shipments).toEqual([expect.objectContaining({ id: 'o1-1', cancelled: true })]);
    expect(plan.cut.map((r) => r.status)).toEqual(['CANCELLED']);
    expect(awaitsRouting(plan.order)).toBe(true);
  });

  it('keeps a held order held, to be routed again once released', () => {
    const held: Order = {
      ...fulfilling(),
      status: 'ON_HOLD',
      hold: { kind: 'address', reason: 'check', by: 'ops', at, from: 'FULFILLING' },
    };
    const plan = planEdit(held, [record('PICK_REQUESTED')], { shippingMethod: 'express' }, meta);
    expect(plan.order).toMatchObject({
      status: 'ON_HOLD',
      hold: { from: 'ALLOCATED' },
      shippingMethod: 'express',
    });
    expect(awaitsRouting(plan.order)).toBe(true);
  });

  it('refuses once picking began, while the order is being prepared, for a marketplace order, and an edit that changes nothing', () => {
    expect(() => planEdit(fulfilling(), [record('PICKED')], { shippingMethod: 'express' }, meta)).toThrow(
      /picking has begun/,
    );
    expect(() =>
      planEdit({ ...fulfilling(), status: 'ROUTED' }, [], { shippingMethod: 'express' }, meta),
    ).toThrow(InvalidStateError);
    expect(() =>
      planEdit(
        { ...fulfilling(), marketplace: { name: 'amazon', orderId: 'A-1', lines: [] } },
        [],
        { shippingMethod: 'express' },
        meta,
      ),
    ).toThrow(/edit it there/);
    expect(() =>
      planEdit(fulfilling(), [record('PICK_REQUESTED')], { shippingMethod: 'standard' }, meta),
    ).toThrow(ValidationError);
  });
});
