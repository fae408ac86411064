import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SANDBOX_CARRIERS } from '../../shared/adapters/carriers/sandbox-carriers';
import type { TrackingStatus } from '../../shared/domain/tracking';
import { signWebhook } from '../../shared/domain/webhook-signature';
import { request } from './http';

const carrierSecrets = new Map<string, string>();

/**
 * Reads each carrier's webhook secret from the running system's Secrets Manager, as ops would to
 * hand it to the carrier, so tests sign their posts as the carrier does.
 */
export async function learnCarrierSecrets(awsEndpoint: string): Promise<void> {
  const client = new SecretsManagerClient({
    endpoint: awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const { SecretList = [] } = await client.send(new ListSecretsCommand({}));
    for (const { Name, ARN } of SecretList) {
      const carrier = /^oms\/carriers\/([^/]+)\/webhook$/.exec(Name ?? '')?.[1];
      if (!carrier) continue;
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: ARN }));
      carrierSecrets.set(carrier, String((JSON.parse(String(SecretString)) as { current: string }).current));
    }
  } finally {
    client.destroy();
  }
}

/** The secret a carrier signs with in the running system (learnCarrierSecrets read it). */
export function carrierSecret(carrier: string): string {
  const secret = carrierSecrets.get(carrier);
  if (!secret) throw new Error(`No webhook secret known for ${carrier}: learnCarrierSecrets first`);
  return secret;
}

/** The carrier's own code for a canonical status. */
export function carrierCode(carrier: string, status: TrackingStatus): string {
  const entry = Object.entries(SANDBOX_CARRIERS[carrier]?.statuses ?? {}).find(([, s]) => s === status);
  if (!entry) throw new Error(`${carrier} has no code for ${status}`);
  return entry[0];
}

let sequence = 0;

/** Posts a tracking update as the carrier would: raw JSON body, signed now (or as told). */
export async function postTracking(
  apiUrl: string,
  carrier: string,
  trackingNumber: string,
  status: TrackingStatus,
  options: {
    eventId?: string;
    secret?: string;
    timestamp?: number;
    signature?: string | null;
    rawBody?: string;
  } = {},
) {
  const rawBody =
    options.rawBody ??
    JSON.stringify({
      id: options.eventId ?? `evt-${Date.now()}-${++sequence}`,
      trackingNumber,
      status: carrierCode(carrier, status),
      occurredAt: new Date().toISOString(),
    });
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature === undefined
      ? signWebhook(rawBody, options.secret ?? carrierSecret(carrier), timestamp)
      : options.signature;
  const response = await fetch(`${apiUrl}/webhooks/carriers/${carrier}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'oms-signature': signature }),
    },
    body: rawBody,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    rawBody,
    signature,
  };
}

/** Plays the warehouse: reports the shipment packed in one 1.2 kg box. */
export function reportPacked(apiUrl: string, shipmentId: string) {
  return request(apiUrl, 'POST', `/shipments/${shipmentId}/events`, {
    body: { type: 'packed', packages: [{ weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 10 }] },
  });
}

/** A shipment as GET /orders/{id}/shipments shows it (the parts tests read). */
export interface ShipmentView {
  id: string;
  status: string;
  locationId: string;
  trackingNumber?: string;
  carrier?: { carrier: string; service: string; amount: number };
  history: Array<{ status: string; tracking?: string; ignored?: boolean }>;
}

export async function shipmentsOf(apiUrl: string, orderId: string): Promise<ShipmentView[]> {
  return (await request(apiUrl, 'GET', `/orders/${orderId}/shipments`)).body.items as ShipmentView[];
}

/** Plays the carrier: a signed `delivered` update for a shipped shipment. */
export function postDelivered(apiUrl: string, shipment: Pick<ShipmentView, 'carrier' | 'trackingNumber'>) {
  return postTracking(
    apiUrl,
    String(shipment.carrier?.carrier),
    String(shipment.trackingNumber),
    'delivered',
  );
}
