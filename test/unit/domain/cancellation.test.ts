import { describe, expect, it } from 'vitest';
import { openLines, planCancellation } from '../../../shared/domain/cancellation';
import { ConflictError, type ValidationError } from '../../../shared/domain/errors';
import type { Order } from '../../../shared/domain/order';
import { requestPick, type ShipmentRecord, startShipping } from '../../../shared/domain/shipment';
import { testOrder } from '../../support/fakes';

const at = '2026-01-02T00:00:00.000Z';
const meta = { id: 'o1-X1', by: 'web-client', key: 'web-client:k1', requestHash: 'h', at };

/** A routed order: A x2 and B x3, B split over two locations (2 at rj, 1 at sp), A at sp. */
function routed(): Order {
  const order = testOrder({
    lines: [
      { sku: 'A', quantity: 2, unitPrice: 500 },
      { sku: 'B', quantity: 3, unitPrice: 100 },
    ],
  });
  return {
    ...order,
    status: 'FULFILLING',
    shipments: [
      {
        id: 'o1-1',
        locationId: 'sp',
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
      },
      { id: 'o1-2', locationId: 'rj', lines: [{ sku: 'B', quantity: 2 }] },
    ],
  };
}

const record = (order: Order, id: string): ShipmentRecord => {
  const planned = order.shipments?.find((s) => s.id === id);
  if (!planned) throw new Error(id);
  return requestPick({ ...planned, orderId: order.id }, at, 48);
};

describe('planning a cancellation', () => {
  it('cancels every open unit when no lines are named: the order is CANCELLED and each shipment cut whole', () => {
    const order = routed();
    const plan = planCancellation(order, [record(order, 'o1-1')], { reason: 'customer_request' }, meta);
    expect(plan.order.status).toBe('CANCELLED');
    expect(plan.cancellation).toMatchObject({ whole: true, amount: 1300, orderVersion: order.version + 1 });
    expect(plan.cancellation.shipments.map((s) => [s.shipmentId, s.remaining])).toEqual([
      ['o1-1', []],
      ['o1-2', []],
    ]);
    expect(openLines(plan.order)).toEqual([]);
  });

  it('takes a partial cancellation off the newest shipment first and keeps the status, with a timeline entry saying what went', () => {
    const order = routed();
    const plan = planCancellation(
      order,
      [],
      { reason: 'other', lines: [{ lineNumber: 2, quantity: 2 }] },
      meta,
    );
    expect(plan.order.status).toBe('FULFILLING');
    expect(plan.order.lines[1]?.cancelledQuantity).toBe(2);
    expect(plan.cancellation.shipments).toEqual([
      { shipmentId: 'o1-2', locationId: 'rj', removed: [{ sku: 'B', quantity: 2 }], remaining: [] },
    ]);
    expect(plan.order.shipments?.[1]).toMatchObject({ cancelled: true });
    expect(plan.order.shipments?.[0]?.lines).toEqual([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
    expect(plan.order.timeline.at(-1)).toEqual({
      status: 'FULFILLING',
      at,
      reason: 'cancelled 2 x B (other)',
    });
    expect(openLines(plan.order)).toEqual([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
  });

  it('cancels units no shipment carries (left out by a partial routing) before touching any shipment', () => {
    const order = {
      ...routed(),
      shipments: [{ id: 'o1-1', locationId: 'sp', lines: [{ sku: 'A', quantity: 2 }] }],
    };
    const plan = planCancellation(
      order,
      [],
      { reason: 'out_of_stock', lines: [{ lineNumber: 2, quantity: 3 }] },
      meta,
    );
    expect(plan.cancellation.shipments).toEqual([]);
    expect(plan.order.status).toBe('FULFILLING');
  });

  it('refuses (409) units in a shipment that is being shipped or shipped, and a shipped or delivered order', () => {
    const order = routed();
    const leaving = { ...startShipping({ ...record(order, 'o1-2'), status: 'PACKED' }, at) };
    expect(() =>
      planCancellation(order, [leaving], { reason: 'other', lines: [{ lineNumber: 2, quantity: 1 }] }, meta),
    ).toThrow(ConflictError);
    for (const status of ['SHIPPED', 'DELIVERED'] as const) {
      expect(() => planCancellation({ ...order, status }, [], { reason: 'other' }, meta)).toThrow(
        /open a return/,
      );
    }
  });

  it('plans again over a shipment its own earlier attempt already cut (that attempt lost the order write to a racing step)', () => {
    const order = routed();
    const own = { ...record(order, 'o1-2'), status: 'CANCELLED' as const, cancellations: [meta.id] };
    const request = { reason: 'other' as const, lines: [{ lineNumber: 2, quantity: 2 }] };
    expect(planCancellation(order, [own], request, meta).order.shipments?.[1]).toMatchObject({
      cancelled: true,
    });
    expect(() => planCancellation(order, [own], request, { ...meta, id: 'o1-Xother' })).toThrow(
      ConflictError,
    );
  });

  it('names the field at fault: an unknown line, a line named twice, more units than are open', () => {
    const order = routed();
    const pointers = (lines: Array<{ lineNumber: number; quantity: number }>) => {
      try {
        planCancellation(order, [], { reason: 'other', lines }, meta);
        return [];
      } catch (error) {
        return (error as ValidationError).errors.map((e) => e.pointer);
      }
    };
    expect(pointers([{ lineNumber: 9, quantity: 1 }])).toEqual(['#/lines/0/lineNumber']);
    expect(
      pointers([
        { lineNumber: 1, quantity: 1 },
        { lineNumber: 1, quantity: 1 },
      ]),
    ).toEqual(['#/lines/1/lineNumber']);
    expect(pointers([{ lineNumber: 2, quantity: 4 }])).toEqual(['#/lines/0/quantity']);
  });
});
