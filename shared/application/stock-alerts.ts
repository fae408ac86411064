import type { StockSignalData } from '../domain/inventory-events';
import type { EventMetadata } from '../domain/order-events';
import type { AlertLog } from './ports';

/** Turns a StockLow / StockOut event into an alert ops can read; the same event twice is one alert. */
export async function recordStockAlert(
  deps: { alerts: AlertLog },
  event: { detailType: string; detail: { metadata: EventMetadata; data: StockSignalData } },
): Promise<void> {
  const { data, metadata } = event.detail;
  const message =
    event.detailType === 'StockOut'
      ? `${data.sku} is out of stock at ${data.locationId}`
      : `${data.sku} is low at ${data.locationId}: ${data.ats} available (threshold ${data.lowStockThreshold})`;
  await deps.alerts.record({
    id: metadata.eventId,
    type: event.detailType,
    raisedAt: metadata.occurredAt,
    subject: {
      sku: data.sku,
      locationId: data.locationId,
      ats: data.ats,
      lowStockThreshold: data.lowStockThreshold,
    },
    message,
  });
}
