import { NotFoundError, UnauthorizedError, ValidationError } from '../domain/errors';
import { OrderEventType } from '../domain/order-events';
import { applyTracking, replayedPost, type ShipmentRecord } from '../domain/shipment';
import { ShipmentEventType, shipmentEvent } from '../domain/shipment-events';
import { verifyWebhookSignature } from '../domain/webhook-signature';
import { advanceOrder, correlationOf, endDeliveryWait, type FulfilmentDeps } from './fulfilment';
import { type CarrierSecrets, type ReturnRepository, StaleShipment } from './ports';
import { applyReturnCarrierUpdate } from './return-fulfilment';

export interface CarrierWebhookDeps
  extends Pick<FulfilmentDeps, 'orders' | 'shipments' | 'carriers' | 'callbacks' | 'events' | 'clock'> {
  returns: ReturnRepository;
  secrets: CarrierSecrets;
}

/**
 * Checks a carrier webhook before anything reads it: a known carrier and a valid signature over
 * the raw body within the tolerance. Returns the signature: a replay of a post already applied is
 * told by it when the update is applied (`replayedPost`).
 */
export async function verifyCarrierWebhook(
  deps: Pick<CarrierWebhookDeps, 'secrets' | 'clock'>,
  input: { carrier: string; rawBody: string; signature: string | undefined },
): Promise<{ signature: string }> {
  const secrets = await deps.secrets.of(input.carrier);
  if (secrets.length === 0) {
    const detail = `No carrier named ${input.carrier} is configured`;
    throw new NotFoundError(detail, { errors: [{ pointer: '#/path/carrier', detail }] });
  }
  const now = Math.floor(Date.parse(deps.clock.now()) / 1000);
  const check = verifyWebhookSignature(input.rawBody, input.signature, secrets, now);
  if (!check.valid) {
    throw new UnauthorizedError(`Webhook refused: ${check.reason}`, {
      errors: [{ pointer: '#/headers/oms-signature', detail: check.reason }],
    });
  }
  return { signature: check.signature };
}

const refuseReplay = (history: Parameters<typeof replayedPost>[0], update: CarrierUpdate) => {
  if (replayedPost(history, update)) {
    throw new UnauthorizedError('Webhook refused: this signed post was already received (replay)', {
      errors: [{ pointer: '#/headers/oms-signature', detail: 'already received' }],
    });
  }
};

export interface CarrierUpdate {
  eventId: string;
  trackingNumber: string;
  status: string;
  occurredAt: string;
  description?: string;
  signature?: string;
}

const WRITE_ATTEMPTS = 8;

/**
 * A verified tracking update: mapped onto the canonical statuses, applied forward-only (a repeat
 * is a no-op; a late one is history only), ShipmentTrackingUpdated on the bus. Delivered or
 * returned ends the workflow's delivery wait; an exception or a return puts the order ON_HOLD.
 */
export async function applyCarrierUpdate(deps: CarrierWebhookDeps, carrier: string, update: CarrierUpdate) {
  const status = deps.carriers.canonicalStatus(carrier, update.status);
  if (!status) {
    throw new ValidationError(`Unknown ${carrier} status ${update.status}`, [
      { pointer: '#/status', detail: `not a ${carrier} tracking status` },
    ]);
  }
  const tracking = {
    carrier,
    eventId: update.eventId,
    status,
    occurredAt: update.occurredAt,
    ...(update.description ? { description: update.description } : {}),
    ...(update.signature === undefined ? {} : { signature: update.signature }),
  };
  for (let attempt = 1; ; attempt++) {
    const current = await deps.shipments.byTrackingNumber(carrier, update.trackingNumber);
    if (!current) {
      // The same carriers bring return parcels back, on labels the OMS bought for returns.
      const rma = await deps.returns.byTrackingNumber(carrier, update.trackingNumber);
      if (rma) {
        refuseReplay(rma.history, update);
        return applyReturnCarrierUpdate(deps, rma, tracking);
      }
      throw new NotFoundError(
        `No ${carrier} shipment or return has tracking number ${update.trackingNumber}`,
      );
    }
    refuseReplay(current.history, update);
    const result = applyTracking(current, tracking, deps.clock.now());
    if (result.duplicate) {
      // The first post may have been cut off before it answered the delivery wait.
      await endDeliveryWait(deps, current);
      return { shipmentId: current.id, duplicate: true, moved: false, status: current.status };
    }
    try {
      await deps.shipments.update(result.shipment, {
        delivered: result.moved && result.shipment.status === 'DELIVERED',
      });
    } catch (error) {
      if (error instanceof StaleShipment && attempt < WRITE_ATTEMPTS) continue;
      throw error;
    }
    await afterTracking(deps, result.shipment, result.moved ? status : undefined);
    return { shipmentId: current.id, duplicate: false, moved: result.moved, status: result.shipment.status };
  }
}

async function afterTracking(deps: CarrierWebhookDeps, shipment: ShipmentRecord, moved: string | undefined) {
  await deps.events.publish([
    shipmentEvent(shipment, ShipmentEventType.TRACKING_UPDATED, await correlationOf(deps, shipment)),
  ]);
  if (moved === 'exception' || moved === 'returned_to_sender') {
    const reason =
      moved === 'exception'
        ? `delivery exception on shipment ${shipment.id}${shipment.history.at(-1)?.detail ? `: ${shipment.history.at(-1)?.detail}` : ''}`
        : `shipment ${shipment.id} was returned to sender`;
    await advanceOrder(deps, shipment.orderId, 'ON_HOLD', OrderEventType.ON_HOLD, () => true, reason);
  }
  await endDeliveryWait(deps, shipment);
}
