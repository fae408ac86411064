import { DomainError, ErrorCode, InvalidStateError, ValidationError } from './errors';
import type { ReservationLine } from './inventory';
import type { Address, Order, OrderLine, ShippingMethod } from './order';
import { OrderStatus } from './order-status';
import { cutShipment, type ShipmentRecord, ShipmentStatus } from './shipment';

/**
 * The order was edited while its shipments waited at their warehouses: they were called off, and
 * the order must be routed again. The workflow catches it by name (its completion step throws it).
 */
export const ORDER_EDITED = 'OrderEdited';
export class OrderEdited extends DomainError {
  readonly code = ErrorCode.INVALID_STATE;
  constructor(orderId: string) {
    super(`Order ${orderId} was edited: it is routed again`, { orderId });
  }
}

/** Edited while its shipments waited: it waits (or, held, will wait) to be routed again. */
export const awaitsRouting = (order: Order) =>
  (order.status === OrderStatus.ON_HOLD ? order.hold?.from : order.status) === OrderStatus.ALLOCATED;

/** What an edit asks for: the order's lines as they should now be, a new address, a new service level. */
export interface EditRequest {
  /** Every line the order should now have open: a SKU left out is removed, a new SKU added (with its price). */
  lines?: Array<{ sku: string; quantity: number; unitPrice?: number }>;
  shippingAddress?: Address;
  shippingMethod?: ShippingMethod;
  note?: string;
}

interface EditedState {
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  shippingAddress: Address;
  shippingMethod: ShippingMethod;
  /** What the open lines are worth, in minor units: what the payment must cover. */
  openValue: number;
}

/** One accepted edit, kept on the order: who, when, what it was before and after. */
export interface OrderEdit {
  id: string;
  /** `<caller>:<Idempotency-Key>`: the same request again answers this edit. */
  key: string;
  requestHash: string;
  at: string;
  by: string;
  note?: string;
  changed: Array<'lines' | 'shippingAddress' | 'shippingMethod'>;
  before: EditedState;
  after: EditedState;
  /** Shipments it called off, their warehouses told to stop: the order is routed again. */
  cancelledShipments: string[];
}

/** Statuses an order may be edited in: waiting for stock, or waiting at its warehouses for the pick. */
const EDITABLE: readonly OrderStatus[] = [OrderStatus.BACKORDERED, OrderStatus.FULFILLING];
/** Statuses a workflow passes through in a second: an edit then would race it. */
const PREPARING: readonly OrderStatus[] = [
  OrderStatus.PENDING,
  OrderStatus.CONFIRMED,
  OrderStatus.ALLOCATED,
  OrderStatus.ROUTED,
];

const openLinesOf = (order: Order) =>
  order.lines
    .map((l) => ({ sku: l.sku, quantity: l.quantity - (l.cancelledQuantity ?? 0), unitPrice: l.unitPrice }))
    .filter((l) => l.quantity > 0);

const stateOf = (order: Order): EditedState => {
  const lines = openLinesOf(order);
  return {
    lines,
    shippingAddress: order.shippingAddress,
    shippingMethod: order.shippingMethod,
    openValue: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
  };
};

/** Why the order cannot be edited now, if it cannot. */
function refuseUnlessEditable(order: Order, records: ShipmentRecord[]): void {
  const refuse = (detail: string) =>
    new InvalidStateError(`Order ${order.id} cannot be edited: ${detail}`, { status: order.status });
  if (order.marketplace) throw refuse(`it came from ${order.marketplace.name}: edit it there`);
  if (order.payment.method === 'exchange') throw refuse('it is an exchange, paid by the goods of a return');
  const status = order.status === OrderStatus.ON_HOLD ? order.hold?.from : order.status;
  if (status !== undefined && PREPARING.includes(status))
    throw refuse(`it is ${order.status}, being prepared: try again in a moment`);
  if (status === undefined || !EDITABLE.includes(status))
    throw refuse(`it is ${order.status}: only an order waiting for stock or for its pick can be edited`);
  const started = records.find(
    (r) =>
      r.status !== ShipmentStatus.CANCELLED &&
      (r.status !== ShipmentStatus.PICK_REQUESTED || r.shippingStartedAt !== undefined),
  );
  if (started)
    throw refuse(
      `shipment ${started.id} is ${started.status} at ${started.locationId}: picking has begun (cancel units instead)`,
    );
}

/** The order's lines after the edit: kept lines keep their number (and cancelled units), new ones follow. */
function editedLines(order: Order, wanted: NonNullable<EditRequest['lines']>): OrderLine[] {
  const next = Math.max(0, ...order.lines.map((l) => l.lineNumber)) + 1;
  const added: OrderLine[] = [];
  const kept = order.lines.flatMap((line): OrderLine[] => {
    const want = wanted.find((w) => w.sku === line.sku);
    const cancelled = line.cancelledQuantity ?? 0;
    if (!want)
      return cancelled > 0 ? [{ ...line, quantity: cancelled, lineTotal: cancelled * line.unitPrice }] : [];
    const unitPrice = want.unitPrice ?? line.unitPrice;
    const quantity = cancelled + want.quantity;
    return [{ ...line, unitPrice, quantity, lineTotal: quantity * unitPrice }];
  });
  wanted.forEach((want, index) => {
    if (order.lines.some((l) => l.sku === want.sku)) return;
    if (want.unitPrice === undefined) {
      const detail = `${want.sku} is new to the order: give its unitPrice`;
      throw new ValidationError(`Cannot add ${want.sku}: ${detail}`, [
        { pointer: `#/lines/${index}/unitPrice`, detail },
      ]);
    }
    added.push({
      lineNumber: next + added.length,
      sku: want.sku,
      quantity: want.quantity,
      unitPrice: want.unitPrice,
      lineTotal: want.quantity * want.unitPrice,
    });
  });
  return [...kept, ...added];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * An edit of an order before its pick: its lines (re-priced: kept lines at their price unless
 * given, new ones at theirs), address or service level. An order that was waiting at its
 * warehouses has every shipment called off and goes back to ALLOCATED, to be routed afresh for
 * its new lines and address; one waiting for stock stays BACKORDERED and allocates its new
 * lines. Returns the edited order, the edit, the shipment records to cut and the units the order
 * must now hold.
 */
export function planEdit(
  order: Order,
  records: ShipmentRecord[],
  request: EditRequest,
  meta: Pick<OrderEdit, 'id' | 'key' | 'requestHash' | 'at' | 'by'>,
): { order: Order; edit: OrderEdit; cut: ShipmentRecord[]; hold: ReservationLine[]; holdsStock: boolean } {
  refuseUnlessEditable(order, records);
  const lines = request.lines ? editedLines(order, request.lines) : order.lines;
  const edited: Order = {
    ...order,
    lines,
    ...(request.shippingAddress ? { shippingAddress: request.shippingAddress } : {}),
    ...(request.shippingMethod ? { shippingMethod: request.shippingMethod } : {}),
  };
  const before = stateOf(order);
  const after = stateOf(edited);
  const changed = (['lines', 'shippingAddress', 'shippingMethod'] as const).filter(
    (field) => !same(before[field], after[field]),
  );
  if (changed.length === 0) {
    const detail = 'the lines, address and service level asked for are the order’s own';
    throw new ValidationError(`Nothing to edit: ${detail}`, [{ pointer: '#', detail }]);
  }
  const from = order.status === OrderStatus.ON_HOLD ? order.hold?.from : order.status;
  const holdsStock = from === OrderStatus.FULFILLING;
  const cut = holdsStock
    ? records
        .filter((r) => r.status !== ShipmentStatus.CANCELLED)
        .map((r) => cutShipment(r, { cancellationId: meta.id, remaining: [] }, meta.at).shipment)
    : [];
  const edit: OrderEdit = {
    ...meta,
    ...(request.note ? { note: request.note } : {}),
    changed,
    before,
    after,
    cancelledShipments: cut.map((r) => r.id),
  };
  const reason = `edited (${changed.join(', ')})${request.note ? `: ${request.note}` : ''}`;
  // Called off, the order waits to be routed again: ALLOCATED (or held, to be released there).
  const status = holdsStock && order.status !== OrderStatus.ON_HOLD ? OrderStatus.ALLOCATED : order.status;
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  return {
    order: {
      ...edited,
      status,
      ...(holdsStock && order.hold ? { hold: { ...order.hold, from: OrderStatus.ALLOCATED } } : {}),
      totals: { itemCount: lines.reduce((n, l) => n + l.quantity, 0), subtotal, grandTotal: subtotal },
      ...(holdsStock
        ? { shipments: (order.shipments ?? []).map((s) => (s.cancelled ? s : { ...s, cancelled: true })) }
        : {}),
      edits: [...(order.edits ?? []), edit],
      version: order.version + 1,
      updatedAt: meta.at,
      timeline: [...order.timeline, { status, at: meta.at, reason }],
    },
    edit,
    cut,
    hold: after.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    holdsStock,
  };
}
