import { describe, expect, it } from 'vitest';
import { formatPurposes, writesByPurpose } from '../../../bench/write-purposes';

describe("the bench's writes per order by purpose", () => {
  it("files each metered write under the order's own story, a projection, the outbox or the local journal (a workflow's own DynamoDB task by its kind), per order, and names a kind it does not know as other", () => {
    const before = new Map([['ShipShipmentFunctionAB12CD34 SHIPMENT', 2]]);
    const after = new Map([
      ['ShipShipmentFunctionAB12CD34 SHIPMENT', 6],
      ['RouteOrderFunction0A0B0C0D ROUTING', 2],
      ['ProjectKpisFunction11223344 KPI', 8],
      ['RecordOrderActivityFunction55667788 EVENTS', 10],
      ['SendNotificationFunction99AABBCC NOTIFICATION', 16],
      ['LocalCloud EVENT', 10],
      ['LocalCloud EXECUTION', 4],
      ['LocalCloud ORDER', 2],
      ['SomeNewFunction12345678 WIDGET', 1],
    ]);
    const purposes = writesByPurpose(after, before, 2);
    expect(Object.fromEntries(purposes)).toEqual({
      order: 4,
      projections: 9,
      outbox: 8,
      journal: 7,
      other: 0.5,
    });
    expect(formatPurposes(purposes)).toBe(
      "the order's own 4.0, projections 9.0, notification outbox 8.0, execution journal (local only: on AWS it is Step Functions' own) 7.0, other 0.5",
    );
  });
});
