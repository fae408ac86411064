import { ConflictError, InvalidStateError, UnprocessableError, ValidationError } from './errors';
import type { Order } from './order';
import { type ShipmentRecord, ShipmentStatus, type TrackingUpdate } from './shipment';
import type { TrackingStatus } from './tracking';

/** Why a customer sends goods back: a closed list, so return rates per reason can be counted. */
export const RETURN_REASONS = [
  'damaged',
  'wrong_item',
  'not_as_described',
  'changed_mind',
  'size_fit',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const RETURN_RESOLUTIONS = ['refund', 'exchange'] as const;
export type ReturnResolution = (typeof RETURN_RESOLUTIONS)[number];

export const ReturnStatus = {
  REQUESTED: 'REQUESTED',
  APPROVED: 'APPROVED',
  IN_TRANSIT: 'IN_TRANSIT',
  RECEIVED: 'RECEIVED',
  REFUNDED: 'REFUNDED',
  EXCHANGED: 'EXCHANGED',
  CLOSED: 'CLOSED',
  REJECTED: 'REJECTED',
} as const;
export type ReturnStatus = (typeof ReturnStatus)[keyof typeof ReturnStatus];
export const RETURN_STATUSES = Object.values(ReturnStatus);

const TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = {
  REQUESTED: ['APPROVED', 'REJECTED'],
  // Rejected at inspection (the goods are not what was sold); closed when nothing came back in time.
  APPROVED: ['IN_TRANSIT', 'RECEIVED', 'REJECTED', 'CLOSED'],
  IN_TRANSIT: ['RECEIVED', 'REJECTED', 'CLOSED'],
  RECEIVED: ['REFUNDED', 'EXCHANGED'],
  REFUNDED: ['CLOSED'],
  EXCHANGED: ['CLOSED'],
  CLOSED: [],
  REJECTED: [],
};

/** The return policy ops keep as data (GET/PUT /return-policy); the product default until one is saved. */
export interface ReturnPolicy {
  version: number;
  /** Days after delivery a line may be returned. */
  windowDays: number;
  /** Returns approved without ops: one of these reasons and worth at most `maxAmount` (minor units). */
  autoApprove: { reasons: ReturnReason[]; maxAmount: number };
  /** Kept from the refund, as a percentage of the returned value, for these reasons. */
  restockingFee: { percent: number; reasons: ReturnReason[] };
}

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  version: 0,
  windowDays: 30,
  autoApprove: {
    reasons: ['damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'size_fit'],
    maxAmount: 50_000,
  },
  restockingFee: { percent: 10, reasons: ['changed_mind'] },
};

export interface ReturnLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPrice: number;
  /** For an exchange: the SKU sent instead (another size); the same SKU when absent. */
  exchangeSku?: string;
}

/** What the warehouse found in the parcel, per line: resellable units go back on sale, damaged ones to quarantine. */
export interface ReceivedLine {
  lineNumber: number;
  sku: string;
  resellable: number;
  damaged: number;
}

export interface ReturnHistoryEntry {
  at: string;
  status: ReturnStatus;
  source: string;
  tracking?: TrackingStatus;
  eventId?: string;
  /** As on a shipment's history: what tells a replayed carrier post. */
  signature?: string;
  detail?: string;
}

/** One return (RMA) of delivered units of an order, from request to refund or exchange. */
export interface OrderReturn {
  /** `<orderId>-R<n>`; also its workflow execution's name. */
  id: string;
  orderId: string;
  channel: string;
  currency: string;
  status: ReturnStatus;
  reason: ReturnReason;
  note?: string;
  resolution: ReturnResolution;
  lines: ReturnLine[];
  /** Value of the requested units at the order's prices. */
  amount: number;
  /** Where the parcel goes back to: the location that shipped the units. */
  locationId: string;
  requestedBy: string;
  /** The policy in force when it was requested, and the restocking fee that policy set for its reason. */
  policyVersion: number;
  restockingFeePercent: number;
  approval?: { by: string; at: string; automatic: boolean; note?: string };
  rejection?: { by: string; at: string; stage: 'approval' | 'inspection'; reason: string };
  label?: { carrier: string; service: string; trackingNumber: string; labelRef: string };
  tracking?: TrackingStatus;
  receipt?: { at: string; by: string; locationId: string; lines: ReceivedLine[]; note?: string };
  refund?: { amount: number; fee: number; reference: string; at: string };
  replacementOrderId?: string;
  history: ReturnHistoryEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReturnRequest {
  reason: ReturnReason;
  note?: string;
  resolution: ReturnResolution;
  lines: Array<{ lineNumber: number; quantity: number; exchangeSku?: string }>;
}

const DAY_MS = 86_400_000;

/** When a delivered shipment reached the customer (its DELIVERED history entry). */
function deliveredAt(shipment: ShipmentRecord): string | undefined {
  return shipment.history.find((h) => h.status === ShipmentStatus.DELIVERED)?.at;
}

/** Units of each order line delivered, with the location that shipped them and when they arrived. */
export function deliveredLines(
  order: Pick<Order, 'lines'>,
  shipments: readonly ShipmentRecord[],
): Map<number, { quantity: number; locationId: string; deliveredAt: string }> {
  const result = new Map<number, { quantity: number; locationId: string; deliveredAt: string }>();
  for (const shipment of shipments) {
    const at = deliveredAt(shipment);
    if (shipment.status !== ShipmentStatus.DELIVERED || !at) continue;
    for (const carried of shipment.lines) {
      // A SKU on several lines fills them in line order.
      let left = carried.quantity;
      for (const line of order.lines.filter((l) => l.sku === carried.sku)) {
        const entry = result.get(line.lineNumber);
        const room = line.quantity - (line.cancelledQuantity ?? 0) - (entry?.quantity ?? 0);
        const take = Math.min(room, left);
        if (take <= 0) continue;
        left -= take;
        result.set(line.lineNumber, {
          quantity: (entry?.quantity ?? 0) + take,
          locationId: entry?.locationId ?? shipment.locationId,
          deliveredAt: entry && entry.deliveredAt > at ? entry.deliveredAt : at,
        });
      }
    }
  }
  return result;
}

/** Units of a line already in returns that were not rejected. */
function alreadyReturned(returns: readonly OrderReturn[], lineNumber: number): number {
  return returns
    .filter((r) => r.status !== ReturnStatus.REJECTED)
    .flatMap((r) => r.lines)
    .filter((l) => l.lineNumber === lineNumber)
    .reduce((sum, l) => sum + l.quantity, 0);
}

/**
 * Checks a return request against what was delivered, what other returns already cover and the
 * policy's window, and builds the REQUESTED return. Refuses with the field at fault: a line not
 * on the order (400), not delivered yet (409), more units than are left to return or delivered
 * outside the window (422).
 */
export function planReturn(input: {
  order: Order;
  shipments: readonly ShipmentRecord[];
  earlier: readonly OrderReturn[];
  request: ReturnRequest;
  policy: ReturnPolicy;
  by: string;
  id: string;
  now: string;
}): OrderReturn {
  const { order, request, policy, now } = input;
  const delivered = deliveredLines(order, input.shipments);
  const seen = new Set<number>();
  const lines: ReturnLine[] = request.lines.map((wanted, i) => {
    const pointer = `#/lines/${i}`;
    const line = order.lines.find((l) => l.lineNumber === wanted.lineNumber);
    if (!line)
      throw new ValidationError(`Order ${order.id} has no line ${wanted.lineNumber}`, [
        { pointer: `${pointer}/lineNumber`, detail: 'no such line on the order' },
      ]);
    if (seen.has(wanted.lineNumber))
      throw new ValidationError(`Line ${wanted.lineNumber} is named twice`, [
        { pointer: `${pointer}/lineNumber`, detail: 'each line once' },
      ]);
    seen.add(wanted.lineNumber);
    if (wanted.exchangeSku !== undefined && request.resolution !== 'exchange')
      throw new ValidationError('exchangeSku is for exchanges only', [
        { pointer: `${pointer}/exchangeSku`, detail: 'only with resolution exchange' },
      ]);
    const got = delivered.get(line.lineNumber);
    if (!got)
      throw new ConflictError(
        `Line ${line.lineNumber} (${line.sku}) has not been delivered yet: nothing to return`,
        {
          errors: [{ pointer: `${pointer}/lineNumber`, detail: 'not delivered yet' }],
        },
      );
    const closes = new Date(Date.parse(got.deliveredAt) + policy.windowDays * DAY_MS).toISOString();
    if (now > closes)
      throw new UnprocessableError(
        `The return window for line ${line.lineNumber} (${line.sku}) closed on ${closes.slice(0, 10)}: returns are accepted for ${policy.windowDays} days after delivery`,
        {
          windowDays: policy.windowDays,
          deliveredAt: got.deliveredAt,
          windowClosedAt: closes,
          errors: [
            {
              pointer: `${pointer}/lineNumber`,
              detail: `outside the ${policy.windowDays}-day return window`,
            },
          ],
        },
      );
    const left = got.quantity - alreadyReturned(input.earlier, line.lineNumber);
    if (wanted.quantity > left)
      throw new UnprocessableError(
        `Line ${line.lineNumber} (${line.sku}) has ${left} unit(s) left to return, not ${wanted.quantity}`,
        { errors: [{ pointer: `${pointer}/quantity`, detail: `at most ${left}` }] },
      );
    return {
      lineNumber: line.lineNumber,
      sku: line.sku,
      quantity: wanted.quantity,
      unitPrice: line.unitPrice,
      ...(wanted.exchangeSku === undefined ? {} : { exchangeSku: wanted.exchangeSku }),
    };
  });
  const first = delivered.get(lines[0]?.lineNumber ?? 0);
  if (!first)
    throw new ValidationError('A return needs at least one line', [{ pointer: '#/lines', detail: 'empty' }]);
  return {
    id: input.id,
    orderId: order.id,
    channel: order.channel,
    currency: order.currency,
    status: ReturnStatus.REQUESTED,
    reason: request.reason,
    ...(request.note === undefined ? {} : { note: request.note }),
    resolution: request.resolution,
    lines,
    amount: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
    locationId: first.locationId,
    requestedBy: input.by,
    policyVersion: policy.version,
    restockingFeePercent: policy.restockingFee.reasons.includes(request.reason)
      ? policy.restockingFee.percent
      : 0,
    history: [{ at: now, status: ReturnStatus.REQUESTED, source: input.by }],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Whether the policy approves a return on its own (else ops decide). */
export function approvesAutomatically(
  policy: ReturnPolicy,
  rma: Pick<OrderReturn, 'reason' | 'amount'>,
): boolean {
  return policy.autoApprove.reasons.includes(rma.reason) && rma.amount <= policy.autoApprove.maxAmount;
}

/** Moves a return on; refuses a move its status does not allow (409). */
export function transitionReturn(
  rma: OrderReturn,
  to: ReturnStatus,
  at: string,
  changes: Partial<Omit<OrderReturn, 'id' | 'status' | 'version' | 'history'>> & {
    source?: string;
    detail?: string;
  } = {},
): OrderReturn {
  if (!TRANSITIONS[rma.status].includes(to))
    throw new InvalidStateError(`Return ${rma.id} is ${rma.status}: it cannot become ${to}`, {
      returnId: rma.id,
      status: rma.status,
    });
  const { source = 'oms', detail, ...fields } = changes;
  return {
    ...rma,
    ...fields,
    status: to,
    history: [...rma.history, { at, status: to, source, ...(detail ? { detail } : {}) }],
    version: rma.version + 1,
    updatedAt: at,
  };
}

/**
 * Checks what the warehouse reports it received: lines of the return only, never more units than
 * the return names; the units it names nothing about did not arrive (and are not refunded).
 */
export function checkReceipt(
  rma: OrderReturn,
  reported: ReadonlyArray<{ lineNumber: number; resellable: number; damaged: number }>,
): ReceivedLine[] {
  return reported.map((r, i) => {
    const line = rma.lines.find((l) => l.lineNumber === r.lineNumber);
    if (!line)
      throw new ValidationError(`Return ${rma.id} has no line ${r.lineNumber}`, [
        { pointer: `#/lines/${i}/lineNumber`, detail: 'not a line of this return' },
      ]);
    if (r.resellable + r.damaged > line.quantity)
      throw new ValidationError(
        `Line ${r.lineNumber}: ${r.resellable + r.damaged} units reported, ${line.quantity} returned`,
        [{ pointer: `#/lines/${i}`, detail: `resellable + damaged is at most ${line.quantity}` }],
      );
    if (reported.findIndex((o) => o.lineNumber === r.lineNumber) !== i)
      throw new ValidationError(`Line ${r.lineNumber} is reported twice`, [
        { pointer: `#/lines/${i}/lineNumber`, detail: 'each line once' },
      ]);
    return { lineNumber: r.lineNumber, sku: line.sku, resellable: r.resellable, damaged: r.damaged };
  });
}

/**
 * What a received return refunds: the received units at the order's prices, less the restocking
 * fee its policy set (floored: rounding favours the customer).
 */
export function refundFor(rma: Pick<OrderReturn, 'lines' | 'receipt' | 'restockingFeePercent'>): {
  value: number;
  fee: number;
  amount: number;
} {
  const value = (rma.receipt?.lines ?? []).reduce((sum, received) => {
    const line = rma.lines.find((l) => l.lineNumber === received.lineNumber);
    return sum + (line ? (received.resellable + received.damaged) * line.unitPrice : 0);
  }, 0);
  const fee = Math.floor((value * rma.restockingFeePercent) / 100);
  return { value, fee, amount: value - fee };
}

/** Units received per line (resellable or not): what an exchange replaces. */
export function receivedUnits(rma: Pick<OrderReturn, 'lines' | 'receipt'>): ReturnLine[] {
  return rma.lines.flatMap((line) => {
    const got = rma.receipt?.lines.find((r) => r.lineNumber === line.lineNumber);
    const quantity = got ? got.resellable + got.damaged : 0;
    return quantity > 0 ? [{ ...line, quantity }] : [];
  });
}

/** A carrier's update on the return parcel: picked up or moving puts it IN_TRANSIT; the rest is history. */
export function applyReturnTracking(
  rma: OrderReturn,
  update: TrackingUpdate,
  at: string,
): { rma: OrderReturn; duplicate: boolean } {
  if (rma.history.some((h) => h.eventId === update.eventId)) return { rma, duplicate: true };
  const moving = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'].includes(update.status);
  const status = moving && rma.status === ReturnStatus.APPROVED ? ReturnStatus.IN_TRANSIT : rma.status;
  return {
    duplicate: false,
    rma: {
      ...rma,
      status,
      tracking: update.status,
      history: [
        ...rma.history,
        {
          at: update.occurredAt,
          status,
          source: `carrier:${update.carrier}`,
          tracking: update.status,
          eventId: update.eventId,
          ...(update.signature === undefined ? {} : { signature: update.signature }),
          ...(update.description ? { detail: update.description } : {}),
        },
      ],
      version: rma.version + 1,
      updatedAt: at,
    },
  };
}

/** Per SKU, what was delivered and what customers asked to send back, by reason: what return rates are read from. */
export interface SkuReturnStats {
  sku: string;
  deliveredUnits: number;
  /** Units in return requests (whatever became of them). */
  returnedUnits: number;
  byReason: Record<ReturnReason, number>;
  /** returnedUnits / deliveredUnits (0 before anything was delivered). */
  returnRate: number;
}

export function skuReturnStats(
  sku: string,
  counts: { deliveredUnits: number; returnedUnits: number; byReason: Partial<Record<ReturnReason, number>> },
): SkuReturnStats {
  return {
    sku,
    deliveredUnits: counts.deliveredUnits,
    returnedUnits: counts.returnedUnits,
    byReason: Object.fromEntries(RETURN_REASONS.map((r) => [r, counts.byReason[r] ?? 0])) as Record<
      ReturnReason,
      number
    >,
    returnRate:
      counts.deliveredUnits > 0 ? Number((counts.returnedUnits / counts.deliveredUnits).toFixed(4)) : 0,
  };
}
