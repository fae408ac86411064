import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { CarrierWebhookDeps } from '../../shared/application/carrier-tracking';
import { applyCarrierUpdate, verifyCarrierWebhook } from '../../shared/application/carrier-tracking';
import { CarrierParams, CarrierWebhookBody } from '../../shared/contracts/shipment-schemas';
import { httpRoute, json } from '../lib/http-route';
import { parseJsonBody } from '../lib/parse-request';

/** Carrier tracking: the signature over the raw body is checked before the body is even parsed. */
export const createHandler = (deps: CarrierWebhookDeps) =>
  httpRoute({ params: CarrierParams }, async ({ params, rawBody, headers }) => {
    const { signature } = await verifyCarrierWebhook(deps, {
      carrier: params.carrier,
      rawBody,
      signature: headers['oms-signature'],
    });
    const body = parseJsonBody(CarrierWebhookBody, rawBody);
    const result = await applyCarrierUpdate(deps, params.carrier, {
      eventId: body.id,
      trackingNumber: body.trackingNumber,
      status: body.status,
      occurredAt: body.occurredAt,
      ...(body.description ? { description: body.description } : {}),
      signature,
    });
    return json(200, result);
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
  returns: awsAdapters.returns(),
  carriers: awsAdapters.carriers(),
  callbacks: awsAdapters.callbacks(),
  events: awsAdapters.events(),
  clock: systemClock,
  secrets: awsAdapters.carrierSecrets(),
});
