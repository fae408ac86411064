import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../shared/domain/errors';
import { deliveryEstimate, renderNotification } from '../../../shared/domain/notifications';
import {
  applyTracking,
  applyWarehouseEvent,
  markShipped,
  replayedPost,
  requestPick,
} from '../../../shared/domain/shipment';
import { billableGrams, chooseQuote, type Quote, zoneOf } from '../../../shared/domain/shipping';
import { movesForward } from '../../../shared/domain/tracking';
import { signWebhook, verifyWebhookSignature } from '../../../shared/domain/webhook-signature';

const at = '2026-11-22T10:00:00.000Z';
const parcel = { weightGrams: 800, lengthCm: 30, widthCm: 20, heightCm: 10 };
const quote: Quote = {
  carrier: 'swiftpost',
  service: 'ground',
  level: 'standard',
  amount: 1500,
  transitDays: 3,
};

describe('webhook signatures', () => {
  const body = '{"id":"evt-1"}';
  const now = 1_800_000_000;

  it('accepts a signature made with the secret over the raw body and timestamp, and one made with a rotated secret', () => {
    expect(
      verifyWebhookSignature(body, signWebhook(body, 's3cret', now), ['s3cret'], now + 10),
    ).toMatchObject({
      valid: true,
      timestamp: now,
    });
    expect(verifyWebhookSignature(body, signWebhook(body, 'old', now), ['new', 'old'], now).valid).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a stale or future timestamp, and a missing or malformed header', () => {
    const check = (header: string | undefined, raw = body, clock = now) =>
      verifyWebhookSignature(raw, header, ['s3cret'], clock);
    expect(check(signWebhook(body, 'other', now))).toEqual({
      valid: false,
      reason: 'the signature does not match',
    });
    expect(check(signWebhook(body, 's3cret', now), '{"id":"evt-2"}').valid).toBe(false);
    expect(check(signWebhook(body, 's3cret', now - 301))).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/300 s/),
    });
    expect(check(signWebhook(body, 's3cret', now + 301)).valid).toBe(false);
    expect(check(undefined)).toMatchObject({ valid: false, reason: expect.stringMatching(/missing/) });
    expect(check('t=abc,v1=zz')).toMatchObject({ valid: false, reason: expect.stringMatching(/malformed/) });
    expect(check(`t=${now}`)).toMatchObject({ valid: false, reason: expect.stringMatching(/malformed/) });
  });
});

describe('tracking statuses', () => {
  it('move a shipment only forward, let an exception through while on the way, and never leave delivered', () => {
    expect(movesForward('label_created', 'in_transit')).toBe(true);
    expect(movesForward('out_for_delivery', 'in_transit')).toBe(false);
    expect(movesForward('in_transit', 'exception')).toBe(true);
    expect(movesForward('exception', 'in_transit')).toBe(true);
    expect(movesForward('delivered', 'in_transit')).toBe(false);
    expect(movesForward('delivered', 'exception')).toBe(false);
    expect(movesForward('returned_to_sender', 'delivered')).toBe(false);
  });
});

describe('shipping', () => {
  it('prices by the zone between location and customer, and bills the greater of actual and dimensional weight', () => {
    expect(
      zoneOf(
        { city: 'São Paulo', region: 'SP', country: 'BR' },
        { city: 'são paulo', region: 'SP', country: 'BR' },
      ),
    ).toBe('local');
    expect(
      zoneOf(
        { city: 'Campinas', region: 'SP', country: 'BR' },
        { city: 'São Paulo', region: 'SP', country: 'BR' },
      ),
    ).toBe('regional');
    expect(zoneOf({ region: 'SP', country: 'BR' }, { region: 'RJ', country: 'BR' })).toBe('national');
    expect(zoneOf({ country: 'BR' }, { country: 'US' })).toBe('international');
    expect(billableGrams([parcel])).toBe(1200); // 30 x 20 x 10 / 5000 = 1.2 kg > 0.8 kg
    expect(billableGrams([{ ...parcel, weightGrams: 5000 }, parcel])).toBe(6200);
  });

  it('rate-shops the cheapest quote at the order service level, then the fastest, deterministically', () => {
    const quotes: Quote[] = [
      quote,
      { ...quote, carrier: 'rapidex', amount: 1400, transitDays: 4 },
      { ...quote, carrier: 'acme', amount: 1400, transitDays: 2 },
      { ...quote, carrier: 'aaa', level: 'express', amount: 100 },
    ];
    expect(chooseQuote(quotes, 'standard')?.carrier).toBe('acme');
    expect(chooseQuote([...quotes].reverse(), 'standard')?.carrier).toBe('acme');
    expect(chooseQuote(quotes, 'express')?.carrier).toBe('aaa');
    expect(chooseQuote([], 'standard')).toBeUndefined();
  });
});

describe('a shipment', () => {
  const requested = requestPick(
    { id: 'o1-1', orderId: 'o1', locationId: 'cd-sp', lines: [{ sku: 'A', quantity: 1 }] },
    at,
    48,
  );

  it('is due at the warehouse within the SLA, and moves forward through picked and packed; a repeat changes nothing', () => {
    expect(requested.pickDueAt).toBe('2026-11-24T10:00:00.000Z');
    const picked = applyWarehouseEvent(requested, { type: 'picked' }, at).shipment;
    const packed = applyWarehouseEvent(picked, { type: 'packed', packages: [parcel] }, at);
    expect(packed.shipment).toMatchObject({ status: 'PACKED', packages: [parcel], version: 3 });
    expect(applyWarehouseEvent(packed.shipment, { type: 'packed', packages: [parcel] }, at).changed).toBe(
      false,
    );
    expect(() => applyWarehouseEvent(packed.shipment, { type: 'picked' }, at)).toThrow(InvalidStateError);
  });

  it('can be rejected before it is packed or shipped, with the reason, and then nothing else', () => {
    const rejected = applyWarehouseEvent(
      requested,
      { type: 'rejected', reason: 'damaged stock' },
      at,
    ).shipment;
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'damaged stock' });
    expect(() => applyWarehouseEvent(rejected, { type: 'packed', packages: [parcel] }, at)).toThrow(
      InvalidStateError,
    );
  });

  it('follows tracking forward to DELIVERED, records late updates without moving, and ignores a repeated event id', () => {
    const packed = applyWarehouseEvent(requested, { type: 'packed', packages: [parcel] }, at).shipment;
    let shipment = markShipped(packed, { quote, trackingNumber: 'SW1', labelRef: 'label-1' }, at);
    expect(shipment).toMatchObject({ status: 'SHIPPED', tracking: 'label_created', trackingNumber: 'SW1' });
    const update = (eventId: string, status: 'in_transit' | 'delivered') =>
      applyTracking(shipment, { carrier: 'swiftpost', eventId, status, occurredAt: at }, at);
    shipment = update('e1', 'in_transit').shipment;
    shipment = update('e2', 'delivered').shipment;
    expect(shipment.status).toBe('DELIVERED');
    const late = update('e3', 'in_transit');
    expect(late.moved).toBe(false);
    expect(late.shipment.status).toBe('DELIVERED');
    expect(late.shipment.history.at(-1)).toMatchObject({ tracking: 'in_transit', ignored: true });
    expect(update('e2', 'delivered')).toMatchObject({ duplicate: true, moved: false });
  });

  it('tells a replayed carrier post by the signature its history keeps, and a re-signed retry of the same event from it', () => {
    const packed = applyWarehouseEvent(requested, { type: 'packed', packages: [parcel] }, at).shipment;
    const shipped = markShipped(packed, { quote, trackingNumber: 'SW1', labelRef: 'label-1' }, at);
    const post = { carrier: 'swiftpost', eventId: 'e1', status: 'in_transit' as const, occurredAt: at };
    const { shipment } = applyTracking(shipped, { ...post, signature: 'a'.repeat(64) }, at);
    expect(shipment.history.at(-1)).toMatchObject({ eventId: 'e1', signature: 'a'.repeat(64) });
    expect(replayedPost(shipment.history, { signature: 'a'.repeat(64) })).toBe(true);
    // The carrier's own retry is signed anew: not a replay, and its event id makes it a no-op.
    expect(replayedPost(shipment.history, { signature: 'b'.repeat(64) })).toBe(false);
    expect(applyTracking(shipment, { ...post, signature: 'b'.repeat(64) }, at)).toMatchObject({
      duplicate: true,
    });
    expect(replayedPost(shipment.history, {})).toBe(false);
  });
});

describe('notifications', () => {
  it('promise delivery in business days from confirmation, skipping weekends', () => {
    // Friday 2026-11-20: standard is 3-7 business days, express 1-3.
    expect(deliveryEstimate('2026-11-20T15:00:00.000Z', 'standard')).toEqual({
      from: '2026-11-25',
      to: '2026-12-01',
    });
    expect(deliveryEstimate('2026-11-20T15:00:00.000Z', 'express')).toEqual({
      from: '2026-11-23',
      to: '2026-11-25',
    });
  });

  it('render one message per event and template, addressed to the customer or to operations', () => {
    const context = { eventId: 'o1-4', occurredAt: at, operationsAddress: 'ops@shop.example' };
    const shipped = renderNotification(
      {
        kind: 'shipment',
        stage: 'shipped',
        order: { id: 'o1', email: 'ana@example.com', name: 'Ana' },
        shipment: { id: 'o1-1', carrier: 'swiftpost', trackingNumber: 'SW1', transitDays: 2 },
      },
      context,
    );
    expect(shipped).toMatchObject({
      id: 'o1-4:shipment-shipped',
      audience: 'customer',
      to: 'ana@example.com',
    });
    expect(shipped.body).toContain('Tracking number: SW1 (swiftpost)');
    const low = renderNotification(
      { kind: 'stockLow', sku: 'A', locationId: 'sp', ats: 2, threshold: 5 },
      context,
    );
    expect(low).toMatchObject({
      audience: 'operations',
      to: 'ops@shop.example',
      subject: 'Low stock: A at sp',
    });
  });
});
