import { ConflictError, UnprocessableError, ValidationError } from './errors';
import type { Order, OrderLine, Shipment } from './order';
import { canTransition, OrderStatus } from './order-status';
import { activeShipments, isCancellable, type ShipmentRecord, ShipmentStatus } from './shipment';

/** Why an order or some of its lines are cancelled: a closed list, so reports can count them. */
export const CANCEL_REASONS = [
  'customer_request',
  'duplicate_order',
  'fraud_suspected',
  'payment_problem',
  'address_problem',
  'out_of_stock',
  'ops_decision',
  'other',
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface CancelRequest {
  reason: CancelReason;
  note?: string;
  /** Units to cancel per line; the whole order when absent. */
  lines?: Array<{ lineNumber: number; quantity: number }>;
}

export interface CancelledLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  /** quantity x unit price, in minor units. */
  amount: number;
}

/** One accepted cancellation, kept on the order: what went, why, who asked, and the request it answers. */
export interface Cancellation {
  /** `<orderId>-X<digest of the request key>`: two requests never share one. */
  id: string;
  at: string;
  reason: CancelReason;
  note?: string;
  /** The caller's subject, or `oms` for the workflow's own (an expired backorder). */
  by: string;
  lines: CancelledLine[];
  amount: number;
  /** Nothing of the order was left open: it is CANCELLED. */
  whole: boolean;
  /** The order's version it was committed in: its event keeps this sequence however often it is re-published. */
  orderVersion: number;
  /** The shipments it cut, so a repeat of the request can finish what a cut-off first run began. */
  shipments: ShipmentCut[];
  /** `<caller>:<Idempotency-Key>`: the same request again answers this cancellation. */
  key: string;
  requestHash: string;
}

/** What a cancellation does to one planned shipment: fewer lines, or none (cancelled). */
export interface ShipmentCut {
  shipmentId: string;
  locationId: string;
  removed: Array<{ sku: string; quantity: number }>;
  /** What the shipment still carries (empty when it is cancelled). */
  remaining: Array<{ sku: string; quantity: number }>;
}

export interface CancellationPlan {
  cancellation: Cancellation;
  /** The order with the cancellation applied (CANCELLED when whole). */
  order: Order;
}

/** Units of a line still wanted: ordered minus cancelled. */
export const openQuantity = (line: OrderLine) => line.quantity - (line.cancelledQuantity ?? 0);

/** What the order still wants, per SKU, leaving out lines cancelled to zero: what stock is held for. */
export function openLines(order: Pick<Order, 'lines'>): Array<{ sku: string; quantity: number }> {
  return order.lines.flatMap((l) => (openQuantity(l) > 0 ? [{ sku: l.sku, quantity: openQuantity(l) }] : []));
}

/** The planned shipments still under way: not handed to another location, not cancelled. */
export function livePlannedShipments(order: Pick<Order, 'shipments'>, records: ShipmentRecord[]): Shipment[] {
  return activeShipments(order.shipments ?? [], records).filter((s) => !s.cancelled);
}

const UNCANCELLABLE: readonly OrderStatus[] = [OrderStatus.SHIPPED, OrderStatus.DELIVERED];

/** The units per line a request asks for, checked against what is open; each fault names its field. */
function requestedUnits(order: Order, request: CancelRequest): Map<number, number> {
  const units = new Map<number, number>();
  if (!request.lines) {
    for (const line of order.lines)
      if (openQuantity(line) > 0) units.set(line.lineNumber, openQuantity(line));
    return units;
  }
  const errors = request.lines.flatMap((asked, i) => {
    const line = order.lines.find((l) => l.lineNumber === asked.lineNumber);
    if (!line)
      return [
        { pointer: `#/lines/${i}/lineNumber`, detail: `Order ${order.id} has no line ${asked.lineNumber}` },
      ];
    if (units.has(asked.lineNumber))
      return [{ pointer: `#/lines/${i}/lineNumber`, detail: `Line ${asked.lineNumber} is named twice` }];
    units.set(asked.lineNumber, asked.quantity);
    return asked.quantity > openQuantity(line)
      ? [
          {
            pointer: `#/lines/${i}/quantity`,
            detail: `Line ${asked.lineNumber} has ${openQuantity(line)} unit(s) left to cancel, not ${asked.quantity}`,
          },
        ]
      : [];
  });
  if (errors.length > 0) throw new ValidationError('The lines to cancel do not match the order', errors);
  return units;
}

/**
 * Takes `quantity` units of a SKU off the order's shipments: first units no shipment carries yet
 * (not routed, or left out by a partial routing), then the newest shipments that can still be
 * stopped. Refused (409) when the units are in a shipment that is leaving or left.
 */
function cutShipments(
  order: Order,
  records: ShipmentRecord[],
  wanted: Map<string, number>,
  cancellationId: string,
): Map<string, ShipmentCut> {
  const live = livePlannedShipments(order, records);
  const cuts = new Map<string, ShipmentCut>();
  for (const [sku, quantity] of wanted) {
    const line = order.lines.find((l) => l.sku === sku) as OrderLine;
    const planned = live.reduce((n, s) => n + (s.lines.find((l) => l.sku === sku)?.quantity ?? 0), 0);
    let left = quantity - Math.max(0, openQuantity(line) - planned);
    for (const shipment of [...live].reverse()) {
      if (left <= 0) break;
      const cut = cuts.get(shipment.id) ?? {
        shipmentId: shipment.id,
        locationId: shipment.locationId,
        removed: [],
        remaining: shipment.lines.map((l) => ({ ...l })),
      };
      const carried = cut.remaining.find((l) => l.sku === sku);
      if (!carried) continue;
      const record = records.find((r) => r.id === shipment.id);
      // A record this cancellation already cut (an attempt whose order write lost a race) is its own.
      if (record && !isCancellable(record) && !record.cancellations?.includes(cancellationId)) {
        throw new ConflictError(
          `Shipment ${shipment.id} is ${record?.status === ShipmentStatus.PACKED ? 'being shipped' : record?.status}: its units can no longer be cancelled; open a return once it is delivered`,
          { shipmentId: shipment.id, shipmentStatus: record?.status },
        );
      }
      const taken = Math.min(left, carried.quantity);
      carried.quantity -= taken;
      cut.remaining = cut.remaining.filter((l) => l.quantity > 0);
      cut.removed.push({ sku, quantity: taken });
      cuts.set(shipment.id, cut);
      left -= taken;
    }
  }
  return cuts;
}

const describeLines = (lines: CancelledLine[]) => lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ');

/**
 * Plans a cancellation: the units per line (all that is open when no lines are named), the
 * shipments they come off, and the order afterwards: CANCELLED when nothing is left open, else
 * the same status with fewer units and a timeline entry. Refused while nothing can be cancelled
 * (shipped, delivered, failed) or when the units already left.
 */
export function planCancellation(
  order: Order,
  records: ShipmentRecord[],
  request: CancelRequest,
  meta: { id: string; by: string; key: string; requestHash: string; at: string },
): CancellationPlan {
  if (UNCANCELLABLE.includes(order.status)) {
    throw new ConflictError(
      `Order ${order.id} is ${order.status}: it can no longer be cancelled; open a return instead`,
      { status: order.status },
    );
  }
  if (order.status === OrderStatus.CANCELLED || !canTransition(order.status, OrderStatus.CANCELLED)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}: there is nothing left to cancel`, {
      status: order.status,
    });
  }
  const units = requestedUnits(order, request);
  const lines: CancelledLine[] = order.lines.flatMap((line) => {
    const quantity = units.get(line.lineNumber) ?? 0;
    return quantity > 0
      ? [{ lineNumber: line.lineNumber, sku: line.sku, quantity, amount: quantity * line.unitPrice }]
      : [];
  });
  if (lines.length === 0) throw new UnprocessableError(`Order ${order.id} has no open units to cancel`);
  const cuts = cutShipments(order, records, new Map(lines.map((l) => [l.sku, l.quantity])), meta.id);
  const cancelledLines = order.lines.map((line) => {
    const quantity = units.get(line.lineNumber) ?? 0;
    return quantity > 0 ? { ...line, cancelledQuantity: (line.cancelledQuantity ?? 0) + quantity } : line;
  });
  const whole = cancelledLines.every((l) => openQuantity(l) === 0);
  const cancellation: Cancellation = {
    id: meta.id,
    at: meta.at,
    reason: request.reason,
    ...(request.note === undefined ? {} : { note: request.note }),
    by: meta.by,
    lines,
    amount: lines.reduce((sum, l) => sum + l.amount, 0),
    whole,
    orderVersion: order.version + 1,
    shipments: [...cuts.values()],
    key: meta.key,
    requestHash: meta.requestHash,
  };
  const shipments = order.shipments?.map((s) => {
    const cut = cuts.get(s.id);
    if (!cut) return s;
    return cut.remaining.length === 0 ? { ...s, cancelled: true } : { ...s, lines: cut.remaining };
  });
  const why = `${request.reason}${request.note ? `: ${request.note}` : ''}`;
  const reason = whole ? why : `cancelled ${describeLines(lines)} (${why})`;
  const status = whole ? OrderStatus.CANCELLED : order.status;
  const { statusReason: _reason, hold: _hold, ...rest } = order;
  return {
    cancellation,
    order: {
      ...(whole ? rest : order),
      ...(whole ? { statusReason: reason } : {}),
      lines: cancelledLines,
      ...(shipments ? { shipments } : {}),
      cancellations: [...(order.cancellations ?? []), cancellation],
      status,
      version: order.version + 1,
      updatedAt: meta.at,
      timeline: [...order.timeline, { status, at: meta.at, reason }],
    },
  };
}
