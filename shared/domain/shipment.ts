import { DomainError, ErrorCode, InvalidStateError } from './errors';
import type { Parcel, Quote } from './shipping';
import { isFinalTracking, movesForward, type TrackingStatus } from './tracking';

export const ShipmentStatus = {
  PICK_REQUESTED: 'PICK_REQUESTED',
  PICKED: 'PICKED',
  PACKED: 'PACKED',
  REJECTED: 'REJECTED',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  RETURNED_TO_SENDER: 'RETURNED_TO_SENDER',
  /** Every unit of it was cancelled before it left; the warehouse was asked to stop. */
  CANCELLED: 'CANCELLED',
} as const;
export type ShipmentStatus = (typeof ShipmentStatus)[keyof typeof ShipmentStatus];

/**
 * The errors a shipment's branch of the order workflow stops with. The state machine catches them
 * by name: a Catch costs no state transition on the happy path, where a Choice costs one each time.
 */
export const ShipmentStop = { CANCELLED: 'ShipmentCancelled', REJECTED: 'ShipmentRejected' } as const;

/** The shipment's units were cancelled before it left: its branch of the workflow ends. */
export class ShipmentCancelled extends DomainError {
  readonly code = ErrorCode.INVALID_STATE;
  constructor(shipmentId: string) {
    super(`Shipment ${shipmentId} was cancelled before it left`, { shipmentId });
  }
}

export const WAREHOUSE_EVENTS = ['picked', 'packed', 'rejected'] as const;
export type WarehouseEventType = (typeof WAREHOUSE_EVENTS)[number];

export interface WarehouseEvent {
  type: WarehouseEventType;
  packages?: Parcel[];
  reason?: string;
}

export interface ShipmentHistoryEntry {
  at: string;
  status: ShipmentStatus;
  /** warehouse, carrier:<id>, oms */
  source: string;
  tracking?: TrackingStatus;
  detail?: string;
  /** The carrier's own event id, for deduplication. */
  eventId?: string;
  /** The HMAC of the carrier post that brought it (`v1=` of OMS-Signature): what tells a replay. */
  signature?: string;
  /** Recorded, but did not move the shipment (a late or repeated update). */
  ignored?: boolean;
}

/** One parcel group leaving one location: picked, packed, labelled, tracked to the door. */
export interface ShipmentRecord {
  /** `<orderId>-<n>` */
  id: string;
  orderId: string;
  /** Its order's, for its events: a carrier's scan then needs no read of the order (absent on records made before). */
  correlationId?: string;
  locationId: string;
  lines: Array<{ sku: string; quantity: number }>;
  status: ShipmentStatus;
  /** When the warehouse must have answered the pick request. */
  pickDueAt: string;
  /** Set when ShipShipment began to capture and buy the label: from then on it is not cancellable. */
  shippingStartedAt?: string;
  /** Captures the provider refused for it: each retry (after a release) asks under a new key. */
  captureRefusals?: number;
  /** Cancellations applied to it, by id: applying one again changes nothing. */
  cancellations?: string[];
  packages?: Parcel[];
  rejectionReason?: string;
  /** The shipment that took over this rejected one's lines, from another location. */
  reroutedTo?: string;
  carrier?: Pick<Quote, 'carrier' | 'service' | 'amount' | 'transitDays'>;
  trackingNumber?: string;
  labelRef?: string;
  tracking?: TrackingStatus;
  history: ShipmentHistoryEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

const FULFILMENT_ORDER: ShipmentStatus[] = ['PICK_REQUESTED', 'PICKED', 'PACKED'];

export function requestPick(
  planned: Pick<ShipmentRecord, 'id' | 'locationId' | 'lines' | 'correlationId'> & { orderId: string },
  at: string,
  slaHours: number,
): ShipmentRecord {
  return {
    ...planned,
    status: ShipmentStatus.PICK_REQUESTED,
    pickDueAt: new Date(Date.parse(at) + slaHours * 3_600_000).toISOString(),
    history: [{ at, status: ShipmentStatus.PICK_REQUESTED, source: 'oms' }],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const target: Record<WarehouseEventType, ShipmentStatus> = {
  picked: ShipmentStatus.PICKED,
  packed: ShipmentStatus.PACKED,
  rejected: ShipmentStatus.REJECTED,
};

/**
 * A warehouse's report. Moves forward through picked and packed, or to rejected; the same report
 * again changes nothing (`changed: false`); anything else (packed after rejected, picked after
 * shipped) is refused.
 */
export function applyWarehouseEvent(
  shipment: ShipmentRecord,
  event: WarehouseEvent,
  at: string,
): { shipment: ShipmentRecord; changed: boolean } {
  const to = target[event.type];
  if (shipment.status === to) return { shipment, changed: false };
  const from = FULFILMENT_ORDER.indexOf(shipment.status);
  const forward =
    to === ShipmentStatus.REJECTED ? from >= 0 : from >= 0 && FULFILMENT_ORDER.indexOf(to) > from;
  if (!forward) {
    throw new InvalidStateError(
      `Shipment ${shipment.id} is ${shipment.status}: it cannot be ${event.type} now`,
      {
        shipmentId: shipment.id,
        status: shipment.status,
      },
    );
  }
  return {
    changed: true,
    shipment: {
      ...shipment,
      status: to,
      ...(event.packages ? { packages: event.packages } : {}),
      ...(event.reason ? { rejectionReason: event.reason } : {}),
      history: [
        ...shipment.history,
        { at, status: to, source: 'warehouse', ...(event.reason ? { detail: event.reason } : {}) },
      ],
      version: shipment.version + 1,
      updatedAt: at,
    },
  };
}

/**
 * A cancellation takes units off the shipment (`remaining` is what it still carries), or all of
 * them (CANCELLED). Applied once per cancellation id; refused once the shipment is leaving.
 */
export function cutShipment(
  shipment: ShipmentRecord,
  cut: { cancellationId: string; remaining: Array<{ sku: string; quantity: number }> },
  at: string,
): { shipment: ShipmentRecord; changed: boolean } {
  if (shipment.cancellations?.includes(cut.cancellationId)) return { shipment, changed: false };
  if (!isCancellable(shipment)) {
    throw new InvalidStateError(
      `Shipment ${shipment.id} is ${shipment.status}: it can no longer be cancelled`,
      {
        shipmentId: shipment.id,
        status: shipment.status,
      },
    );
  }
  const all = cut.remaining.length === 0;
  const detail = all
    ? `cancelled (${cut.cancellationId})`
    : `lines now ${cut.remaining.map((l) => `${l.quantity} x ${l.sku}`).join(', ')} (${cut.cancellationId})`;
  return {
    changed: true,
    shipment: {
      ...shipment,
      status: all ? ShipmentStatus.CANCELLED : shipment.status,
      lines: all ? shipment.lines : cut.remaining,
      cancellations: [...(shipment.cancellations ?? []), cut.cancellationId],
      history: [
        ...shipment.history,
        { at, status: all ? ShipmentStatus.CANCELLED : shipment.status, source: 'oms', detail },
      ],
      version: shipment.version + 1,
      updatedAt: at,
    },
  };
}

const CANCELLABLE: readonly ShipmentStatus[] = [
  ShipmentStatus.PICK_REQUESTED,
  ShipmentStatus.PICKED,
  ShipmentStatus.PACKED,
  ShipmentStatus.REJECTED,
];

/** Not yet leaving: no label being bought, not shipped, not already cancelled. */
export const isCancellable = (shipment: ShipmentRecord) =>
  shipment.shippingStartedAt === undefined && CANCELLABLE.includes(shipment.status);

/**
 * ShipShipment takes the packed shipment before it captures and buys the label: the version bump
 * is what a racing cancellation collides with, so exactly one of the two goes ahead.
 */
export function startShipping(shipment: ShipmentRecord, at: string): ShipmentRecord {
  if (shipment.status !== ShipmentStatus.PACKED) {
    throw new InvalidStateError(`Shipment ${shipment.id} is ${shipment.status}, not PACKED`, {
      shipmentId: shipment.id,
    });
  }
  return { ...shipment, shippingStartedAt: at, version: shipment.version + 1, updatedAt: at };
}

/** The capture was refused: the shipment waits, packed, and can be cancelled again. */
export function stopShipping(shipment: ShipmentRecord, at: string): ShipmentRecord {
  const { shippingStartedAt: _started, ...rest } = shipment;
  return {
    ...rest,
    captureRefusals: (shipment.captureRefusals ?? 0) + 1,
    version: shipment.version + 1,
    updatedAt: at,
  };
}

/** Labelled and handed to the carrier. */
export function markShipped(
  shipment: ShipmentRecord,
  label: { quote: Quote; trackingNumber: string; labelRef: string },
  at: string,
): ShipmentRecord {
  if (shipment.status !== ShipmentStatus.PACKED) {
    throw new InvalidStateError(`Shipment ${shipment.id} is ${shipment.status}, not PACKED`, {
      shipmentId: shipment.id,
    });
  }
  const { carrier, service, amount, transitDays } = label.quote;
  return {
    ...shipment,
    status: ShipmentStatus.SHIPPED,
    carrier: { carrier, service, amount, transitDays },
    trackingNumber: label.trackingNumber,
    labelRef: label.labelRef,
    tracking: 'label_created',
    history: [
      ...shipment.history,
      { at, status: ShipmentStatus.SHIPPED, source: 'oms', tracking: 'label_created' },
    ],
    version: shipment.version + 1,
    updatedAt: at,
  };
}

export interface TrackingUpdate {
  carrier: string;
  eventId: string;
  status: TrackingStatus;
  occurredAt: string;
  description?: string;
  /** The HMAC the carrier signed its post with (`v1=` of OMS-Signature). */
  signature?: string;
}

/**
 * The same signed post again (same body, same signed timestamp: the same HMAC), as an eavesdropper
 * would replay it; a carrier retrying an update signs it anew, so its retry is a duplicate, not a
 * replay. The history is the memory: no item per signature, no write of its own per post.
 */
export const replayedPost = (
  history: ReadonlyArray<{ signature?: string }>,
  update: Pick<TrackingUpdate, 'signature'>,
): boolean => update.signature !== undefined && history.some((h) => h.signature === update.signature);

/**
 * A carrier's tracking update. A repeated event id is a no-op (`duplicate`); an update that
 * would move the shipment backwards is kept in the history only; delivered and returned end it.
 */
export function applyTracking(
  shipment: ShipmentRecord,
  update: TrackingUpdate,
  at: string,
): { shipment: ShipmentRecord; duplicate: boolean; moved: boolean } {
  if (shipment.history.some((h) => h.eventId === update.eventId))
    return { shipment, duplicate: true, moved: false };
  // Tracking follows a label: before one exists there is nothing for a carrier to move.
  const moved = shipment.trackingNumber !== undefined && movesForward(shipment.tracking, update.status);
  const status =
    moved && isFinalTracking(update.status)
      ? update.status === 'delivered'
        ? ShipmentStatus.DELIVERED
        : ShipmentStatus.RETURNED_TO_SENDER
      : shipment.status;
  return {
    duplicate: false,
    moved,
    shipment: {
      ...shipment,
      status,
      ...(moved ? { tracking: update.status } : {}),
      history: [
        ...shipment.history,
        {
          at: update.occurredAt,
          status,
          source: `carrier:${update.carrier}`,
          tracking: update.status,
          eventId: update.eventId,
          ...(update.signature === undefined ? {} : { signature: update.signature }),
          ...(update.description ? { detail: update.description } : {}),
          ...(moved ? {} : { ignored: true }),
        },
      ],
      version: shipment.version + 1,
      updatedAt: at,
    },
  };
}

/** The planned shipments an order still counts on: a rejected one handed to another location no longer does. */
export function activeShipments<T extends { id: string }>(planned: T[], records: ShipmentRecord[]): T[] {
  return planned.filter((p) => !records.some((r) => r.id === p.id && r.reroutedTo !== undefined));
}
