import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidStateError,
  UnprocessableError,
  ValidationError,
} from '../../../shared/domain/errors';
import {
  applyReturnTracking,
  approvesAutomatically,
  checkReceipt,
  DEFAULT_RETURN_POLICY,
  deliveredLines,
  type OrderReturn,
  planReturn,
  type ReturnRequest,
  refundFor,
  transitionReturn,
} from '../../../shared/domain/returns';
import type { ShipmentRecord } from '../../../shared/domain/shipment';
import { testOrder } from '../../support/fakes';

const order = testOrder({
  lines: [
    { sku: 'A', quantity: 2, unitPrice: 500 },
    { sku: 'B', quantity: 1, unitPrice: 2490 },
    { sku: 'A', quantity: 1, unitPrice: 450 },
  ],
});

function delivered(
  id: string,
  lines: Array<{ sku: string; quantity: number }>,
  at = '2026-03-01T12:00:00.000Z',
  locationId = 'cd-1',
): ShipmentRecord {
  return {
    id,
    orderId: 'o1',
    locationId,
    lines,
    status: 'DELIVERED',
    pickDueAt: at,
    history: [
      { at, status: 'SHIPPED', source: 'oms' },
      { at, status: 'DELIVERED', source: 'carrier:swiftpost', tracking: 'delivered' },
    ],
    version: 5,
    createdAt: at,
    updatedAt: at,
  };
}

const plan = (
  request: Partial<ReturnRequest>,
  options: { shipments?: ShipmentRecord[]; earlier?: OrderReturn[]; now?: string } = {},
) =>
  planReturn({
    order,
    shipments: options.shipments ?? [
      delivered('o1-1', [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ]),
    ],
    earlier: options.earlier ?? [],
    request: {
      reason: 'changed_mind',
      resolution: 'refund',
      lines: [{ lineNumber: 1, quantity: 1 }],
      ...request,
    },
    policy: DEFAULT_RETURN_POLICY,
    by: 'channel-web',
    id: 'o1-R1',
    now: options.now ?? '2026-03-10T00:00:00.000Z',
  });

describe('what may be returned', () => {
  it('counts delivered units per line, filling lines of the same SKU in line order, from delivered shipments only', () => {
    const lines = deliveredLines(order, [
      delivered('o1-1', [{ sku: 'A', quantity: 3 }]),
      { ...delivered('o1-2', [{ sku: 'B', quantity: 1 }]), status: 'SHIPPED' },
    ]);
    expect([...lines.entries()].map(([n, l]) => [n, l.quantity])).toEqual([
      [1, 2],
      [3, 1],
    ]);
  });

  it('opens a REQUESTED return at the order prices, back to the location that shipped, with the restocking fee its policy sets for the reason', () => {
    const rma = plan({ lines: [{ lineNumber: 2, quantity: 1 }] });
    expect(rma).toMatchObject({
      id: 'o1-R1',
      status: 'REQUESTED',
      amount: 2490,
      locationId: 'cd-1',
      restockingFeePercent: 10,
      lines: [{ lineNumber: 2, sku: 'B', quantity: 1, unitPrice: 2490 }],
    });
    expect(plan({ reason: 'damaged' }).restockingFeePercent).toBe(0);
  });

  it('refuses a return after the window (422 naming the line and the window), a line not delivered (409), more units than are left (422), an unknown line (400)', () => {
    expect(() => plan({}, { now: '2026-04-01T00:00:00.000Z' })).toThrow(UnprocessableError);
    expect(() => plan({}, { now: '2026-04-01T00:00:00.000Z' })).toThrow(/closed on 2026-03-31/);
    expect(() => plan({}, { shipments: [] })).toThrow(ConflictError);
    expect(() => plan({ lines: [{ lineNumber: 1, quantity: 3 }] })).toThrow(/2 unit\(s\) left/);
    expect(() => plan({ lines: [{ lineNumber: 9, quantity: 1 }] })).toThrow(ValidationError);
    expect(() => plan({ lines: [{ lineNumber: 1, quantity: 1, exchangeSku: 'A-L' }] })).toThrow(
      /exchanges only/,
    );
  });

  it('counts units already in returns, except rejected ones', () => {
    const first = plan({ lines: [{ lineNumber: 1, quantity: 2 }] });
    expect(() => plan({}, { earlier: [first] })).toThrow(/0 unit\(s\) left/);
    expect(plan({}, { earlier: [{ ...first, status: 'REJECTED' }] }).lines).toHaveLength(1);
  });
});

describe('the return policy and the money', () => {
  it('approves on its own returns with a listed reason up to the maximum value; the rest waits for ops', () => {
    expect(approvesAutomatically(DEFAULT_RETURN_POLICY, { reason: 'damaged', amount: 50_000 })).toBe(true);
    expect(approvesAutomatically(DEFAULT_RETURN_POLICY, { reason: 'damaged', amount: 50_001 })).toBe(false);
    expect(approvesAutomatically(DEFAULT_RETURN_POLICY, { reason: 'other', amount: 1 })).toBe(false);
  });

  it("refunds the received units (resellable or damaged) less the restocking fee, floored in the customer's favour; units that did not arrive are not refunded", () => {
    const rma = plan({
      lines: [
        { lineNumber: 1, quantity: 2 },
        { lineNumber: 3, quantity: 1 },
      ],
    });
    const receipt = {
      at: rma.createdAt,
      by: 'wh',
      locationId: 'cd-1',
      lines: checkReceipt(rma, [
        { lineNumber: 1, resellable: 1, damaged: 0 },
        { lineNumber: 3, resellable: 0, damaged: 1 },
      ]),
    };
    expect(refundFor({ ...rma, receipt })).toEqual({ value: 950, fee: 95, amount: 855 });
    expect(refundFor({ ...rma, restockingFeePercent: 15, receipt })).toEqual({
      value: 950,
      fee: 142,
      amount: 808,
    });
  });

  it('refuses a receipt of lines the return does not name, of more units than returned, or of a line twice', () => {
    const rma = plan({});
    expect(() => checkReceipt(rma, [{ lineNumber: 2, resellable: 1, damaged: 0 }])).toThrow(ValidationError);
    expect(() => checkReceipt(rma, [{ lineNumber: 1, resellable: 1, damaged: 1 }])).toThrow(
      /2 units reported, 1 returned/,
    );
    expect(() =>
      checkReceipt(rma, [
        { lineNumber: 1, resellable: 1, damaged: 0 },
        { lineNumber: 1, resellable: 0, damaged: 0 },
      ]),
    ).toThrow(/twice/);
  });
});

describe('a return moving on', () => {
  it('moves only along its lifecycle, recording each step in its history', () => {
    const rma = plan({});
    const approved = transitionReturn(rma, 'APPROVED', '2026-03-10T01:00:00.000Z', { source: 'ops-1' });
    expect(approved).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(approved.history.at(-1)).toEqual({
      at: '2026-03-10T01:00:00.000Z',
      status: 'APPROVED',
      source: 'ops-1',
    });
    expect(() => transitionReturn(rma, 'REFUNDED', rma.createdAt)).toThrow(InvalidStateError);
    expect(() => transitionReturn({ ...rma, status: 'CLOSED' }, 'APPROVED', rma.createdAt)).toThrow(
      InvalidStateError,
    );
  });

  it("goes IN_TRANSIT on the carrier's first scan; a repeated carrier event is a no-op and later scans are history only", () => {
    const approved = transitionReturn(plan({}), 'APPROVED', '2026-03-10T01:00:00.000Z');
    const scan = {
      carrier: 'swiftpost',
      eventId: 'e1',
      status: 'picked_up' as const,
      occurredAt: '2026-03-11T00:00:00.000Z',
    };
    const moving = applyReturnTracking(approved, scan, '2026-03-11T00:00:01.000Z');
    expect(moving.rma).toMatchObject({ status: 'IN_TRANSIT', tracking: 'picked_up' });
    expect(applyReturnTracking(moving.rma, scan, '2026-03-11T00:00:02.000Z').duplicate).toBe(true);
    const later = applyReturnTracking(
      moving.rma,
      { ...scan, eventId: 'e2', status: 'delivered' },
      '2026-03-12T00:00:00.000Z',
    );
    expect(later.rma.status).toBe('IN_TRANSIT');
  });
});
