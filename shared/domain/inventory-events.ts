import { availableToSell, type StockLevel, type StockSignal, stockSignals } from './inventory';
import { type DomainEvent, EventSource } from './order-events';

export interface StockSnapshot {
  onHand: number;
  reserved: number;
  safetyStock: number;
  ats: number;
}

export interface StockChangedData {
  sku: string;
  locationId: string;
  reason: string;
  before: StockSnapshot;
  after: StockSnapshot;
}

export interface StockSignalData {
  sku: string;
  locationId: string;
  ats: number;
  lowStockThreshold: number;
}

const snapshot = (level: StockLevel | undefined): StockSnapshot => ({
  onHand: level?.onHand ?? 0,
  reserved: level?.reserved ?? 0,
  safetyStock: level?.safetyStock ?? 0,
  ats: level ? availableToSell(level) : 0,
});

const stockMetadata = (after: StockLevel, kind: string, correlationId: string) => ({
  eventId: `${after.sku}@${after.locationId}-${after.version}-${kind}`,
  sequence: after.version,
  occurredAt: after.updatedAt,
  correlationId,
});

/** StockLow / StockOut / StockReplenished when ATS crosses a line between the two states. */
export function stockSignalEvents(
  before: StockLevel | undefined,
  after: StockLevel,
  correlationId: string,
): DomainEvent<StockSignalData>[] {
  return stockSignals(before, after).map((signal: StockSignal) => ({
    source: EventSource.INVENTORY,
    detailType: signal,
    detail: {
      metadata: stockMetadata(after, signal, correlationId),
      data: {
        sku: after.sku,
        locationId: after.locationId,
        ats: availableToSell(after),
        lowStockThreshold: after.lowStockThreshold,
      },
    },
  }));
}

/** StockChanged for every change, plus StockLow / StockOut / StockReplenished when ATS crosses a line. */
export function stockEvents(
  before: StockLevel | undefined,
  after: StockLevel,
  reason: string,
  correlationId: string,
): DomainEvent<StockChangedData | StockSignalData>[] {
  const changed: DomainEvent<StockChangedData> = {
    source: EventSource.INVENTORY,
    detailType: 'StockChanged',
    detail: {
      metadata: stockMetadata(after, 'changed', correlationId),
      data: {
        sku: after.sku,
        locationId: after.locationId,
        reason,
        before: snapshot(before),
        after: snapshot(after),
      },
    },
  };
  return [changed, ...stockSignalEvents(before, after, correlationId)];
}

export interface StockReservedData {
  orderId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** The network reservation an order's allocation made. */
export function stockReservedEvent(
  order: { id: string; version: number; updatedAt: string; correlationId: string },
  lines: StockReservedData['lines'],
): DomainEvent<StockReservedData> {
  return {
    source: EventSource.INVENTORY,
    detailType: 'StockReserved',
    detail: {
      metadata: {
        eventId: `${order.id}-${order.version}-reserved`,
        orderId: order.id,
        sequence: order.version,
        occurredAt: order.updatedAt,
        correlationId: order.correlationId,
      },
      data: { orderId: order.id, lines },
    },
  };
}
