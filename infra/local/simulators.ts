import { signWebhook } from '../../shared/domain/webhook-signature';
import { ClientCredentialsToken } from './client-credentials';
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
      locationId: string;
      lines: Array<{ quantity: number }>;
      trackingNumber?: string;
      carrier?: { carrier: string };
    };
  };
}

/**
 * Each carrier's current webhook secret, read as the carrier was handed it: from the secret the
 * template names for it (CARRIER_WEBHOOK_SECRET_ARNS of the webhook function) in Secrets Manager.
 */
export async function carrierSecrets(cloud: LocalCloud): Promise<Record<string, string>> {
  for (const { properties } of cloud.template.resourcesOfType('AWS::Lambda::Function')) {
    const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    const arns = variables?.CARRIER_WEBHOOK_SECRET_ARNS;
    if (typeof arns !== 'string') continue;
    const entries = await Promise.all(
      Object.entries(JSON.parse(arns) as Record<string, string>).map(async ([carrier, arn]) => {
        const { SecretString } = await cloud.secrets.getSecretValue({ SecretId: arn });
        return [carrier, String((JSON.parse(SecretString) as { current: string }).current)] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
  throw new Error('No function of the template has CARRIER_WEBHOOK_SECRET_ARNS');
}

/**
 * A warehouse and the carriers, outside the OMS, for demos and benchmarks: they watch the bus for
 * pick requests and shipments and answer through the public HTTP API (packed reports, signed
 * tracking webhooks) after the given delays, so orders reach DELIVERED by themselves.
 */
export function startSimulators(cloud: LocalCloud, options: SimulatorOptions) {
  const secrets = carrierSecrets(cloud);
  // Read once, before the first shipment needs them; a failure shows on the first webhook.
  secrets.catch(() => {});
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
  // The warehouse reports as its location's client where the template has one, else as ops.
  const clients = new Map<string, Promise<ClientCredentialsToken>>();
  const tokenFor = async (clientName: string) => {
    let client = clients.get(clientName);
    if (!client) {
      client = ClientCredentialsToken.named(cloud.awsEndpoint, clientName);
      clients.set(clientName, client);
    }
    return (await client).token();
  };
  const warehouseToken = (locationId: string) => {
    const own = `warehouse-${locationId}`;
    return tokenFor(cloud.cognito.clients().some((c) => c.clientName === own) ? own : 'ops');
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
      later(options.pickDelayMs, async () =>
        post(`/shipments/${data.shipmentId}/events`, JSON.stringify({ type: 'packed', packages }), {
          authorization: `Bearer ${await warehouseToken(data.locationId)}`,
        }),
      );
    }
    if (event['detail-type'] === 'ShipmentShipped' && data.trackingNumber && data.carrier) {
      const carrier = data.carrier.carrier;
      const trackingNumber = data.trackingNumber;
      // One parcel's scans in order, each after the last was answered, as a carrier sends them:
      // scans posted on independent timers would overlap under load and race for the parcel's record.
      later(options.transitDelayMs, async () => {
        for (const [i, status] of (CARRIER_CODES[carrier] ?? []).entries()) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, options.transitDelayMs));
          if (stopped) return;
          const body = JSON.stringify({
            id: `sim-${data.shipmentId}-${status}`,
            trackingNumber,
            status,
            occurredAt: new Date().toISOString(),
          });
          const secret = (await secrets)[carrier] ?? '';
          await post(`/webhooks/carriers/${carrier}`, body, {
            'oms-signature': signWebhook(body, secret, Math.floor(Date.now() / 1000)),
          });
        }
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
