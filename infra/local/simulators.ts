import { signWebhook } from '../../shared/domain/webhook-signature';
import type { LocalCloud } from './local-cloud';

export interface SimulatorOptions {
  /** From pick request to packed. */
  pickDelayMs: number;
  /** Between consecutive carrier updates (picked up, in transit, out for delivery, delivered). */
  transitDelayMs: number;
}

interface ShipmentEvent {
  'detail-type': string;
  source: string;
  detail: {
    data: {
      shipmentId: string;
      lines: Array<{ quantity: number }>;
      trackingNumber?: string;
      carrier?: { carrier: string };
    };
  };
}

/** The carriers' webhook secrets exactly as the template gives them to the webhook function. */
function carrierSecrets(cloud: LocalCloud): Record<string, string[]> {
  for (const { properties } of cloud.template.resourcesOfType('AWS::Lambda::Function')) {
    const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    const secrets = variables?.CARRIER_WEBHOOK_SECRETS;
    if (typeof secrets === 'string') return JSON.parse(secrets) as Record<string, string[]>;
  }
  throw new Error('No function of the template has CARRIER_WEBHOOK_SECRETS');
}

/**
 * A warehouse and the carriers, outside the OMS, for demos and benchmarks: they watch the bus for
 * pick requests and shipments and answer through the public HTTP API (packed reports, signed
 * tracking webhooks) after the given delays, so orders reach DELIVERED by themselves.
 */
export function startSimulators(cloud: LocalCloud, options: SimulatorOptions) {
  const secrets = carrierSecrets(cloud);
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (ms: number, work: () => Promise<void>) => {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return resolve();
        work()
          .catch((error: Error) => console.error(`simulator: ${error.message}`))
          .finally(resolve);
      }, ms);
      timers.add(timer);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    if (response.status >= 300)
      throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  };

  cloud.eventBus.tap((raw) => {
    const event = raw as unknown as ShipmentEvent;
    if (event.source !== 'oms.fulfillment') return;
    const { data } = event.detail;
    if (event['detail-type'] === 'ShipmentPickRequested') {
      const units = data.lines.reduce((n, l) => n + l.quantity, 0);
      const packages = [
        { weightGrams: 400 * units, lengthCm: 30, widthCm: 20, heightCm: 5 + 5 * Math.min(units, 10) },
      ];
      later(options.pickDelayMs, () =>
        post(`/shipments/${data.shipmentId}/events`, JSON.stringify({ type: 'packed', packages })),
      );
    }
    if (event['detail-type'] === 'ShipmentShipped' && data.trackingNumber && data.carrier) {
      const carrier = data.carrier.carrier;
      const secret = secrets[carrier]?.[0] ?? '';
      const codes = CARRIER_CODES[carrier] ?? [];
      codes.forEach((status, i) => {
        later(options.transitDelayMs * (i + 1), async () => {
          const body = JSON.stringify({
            id: `sim-${data.shipmentId}-${status}`,
            trackingNumber: data.trackingNumber,
            status,
            occurredAt: new Date().toISOString(),
          });
          await post(`/webhooks/carriers/${carrier}`, body, {
            'oms-signature': signWebhook(body, secret, Math.floor(Date.now() / 1000)),
          });
        });
      });
    }
  });

  return {
    /** Resolves when every answer scheduled so far has been sent. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    busy: () => pending.size > 0,
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Each sandbox carrier's own codes for a parcel's trip, in order. */
const CARRIER_CODES: Record<string, string[]> = {
  swiftpost: ['COLLECTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'],
  rapidex: ['pickup', 'transit', 'last_mile', 'delivered'],
};
