import { createHash } from 'node:crypto';
import type { CarrierNetwork, LabelRequest } from '../../application/ports';
import type { ShippingMethod } from '../../domain/order';
import type { Quote, Zone } from '../../domain/shipping';
import type { TrackingStatus } from '../../domain/tracking';

interface RateCard {
  service: string;
  level: ShippingMethod;
  /** Minor units per zone, plus per started kilogram. */
  base: Record<Zone, number>;
  perKg: number;
  transitDays: Record<Zone, number>;
}

interface SandboxCarrier {
  prefix: string;
  services: RateCard[];
  statuses: Record<string, TrackingStatus>;
}

/**
 * Two test carriers with their own rate cards and tracking vocabularies, deterministic like a
 * provider's sandbox: the same request always gets the same quote and the same label.
 */
export const SANDBOX_CARRIERS: Record<string, SandboxCarrier> = {
  swiftpost: {
    prefix: 'SW',
    services: [
      {
        service: 'ground',
        level: 'standard',
        base: { local: 900, regional: 1400, national: 2200, international: 6900 },
        perKg: 250,
        transitDays: { local: 1, regional: 2, national: 4, international: 10 },
      },
      {
        service: 'priority',
        level: 'express',
        base: { local: 1500, regional: 2200, national: 3500, international: 11900 },
        perKg: 400,
        transitDays: { local: 1, regional: 1, national: 2, international: 5 },
      },
    ],
    statuses: {
      CREATED: 'label_created',
      COLLECTED: 'picked_up',
      IN_TRANSIT: 'in_transit',
      OUT_FOR_DELIVERY: 'out_for_delivery',
      DELIVERED: 'delivered',
      DELIVERY_FAILED: 'exception',
      RETURNED: 'returned_to_sender',
    },
  },
  rapidex: {
    prefix: 'RX',
    services: [
      {
        service: 'economy',
        level: 'standard',
        base: { local: 1100, regional: 1300, national: 2000, international: 7500 },
        perKg: 300,
        transitDays: { local: 1, regional: 2, national: 3, international: 12 },
      },
      {
        service: 'express',
        level: 'express',
        base: { local: 1800, regional: 2000, national: 3200, international: 9900 },
        perKg: 450,
        transitDays: { local: 1, regional: 1, national: 2, international: 4 },
      },
    ],
    statuses: {
      label: 'label_created',
      pickup: 'picked_up',
      transit: 'in_transit',
      last_mile: 'out_for_delivery',
      delivered: 'delivered',
      incident: 'exception',
      rts: 'returned_to_sender',
    },
  },
};

/** The test carriers: rate cards, labels and status vocabularies. */
export class SandboxCarrierNetwork implements CarrierNetwork {
  async quotes(request: { zone: Zone; billableGrams: number }): Promise<Quote[]> {
    const kilograms = Math.max(1, Math.ceil(request.billableGrams / 1000));
    return Object.entries(SANDBOX_CARRIERS).flatMap(([carrier, profile]) =>
      profile.services.map((card) => ({
        carrier,
        service: card.service,
        level: card.level,
        amount: card.base[request.zone] + card.perKg * kilograms,
        transitDays: card.transitDays[request.zone],
      })),
    );
  }

  async createLabel(request: LabelRequest): Promise<{ trackingNumber: string; labelRef: string }> {
    const profile = SANDBOX_CARRIERS[request.quote.carrier];
    if (!profile) throw new Error(`Unknown carrier ${request.quote.carrier}`);
    const digest = createHash('sha256').update(request.shipmentId).digest('hex').slice(0, 12).toUpperCase();
    return {
      trackingNumber: `${profile.prefix}${digest}`,
      labelRef: `label-${request.quote.carrier}-${digest}`,
    };
  }

  canonicalStatus(carrier: string, code: string): TrackingStatus | undefined {
    return SANDBOX_CARRIERS[carrier]?.statuses[code];
  }
}
