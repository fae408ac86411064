import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalCloud } from '../../infra/local/local-cloud';
import type { clientsFor } from './aws-clients';
import { request } from './http';

/**
 * Puts an order event on the bus a second time, as the order's activity log recorded it (same
 * id, sequence and data): EventBridge delivers at least once, and consumers must not care.
 * Answers the event's id.
 */
export async function redeliverOrderEvent(
  env: { cloud: LocalCloud; aws: ReturnType<typeof clientsFor> },
  orderId: string,
  type: string,
): Promise<string> {
  const activity = (await request(env.cloud.apiUrl, 'GET', `/orders/${orderId}/events`)).body.items as Array<{
    type: string;
    data: unknown;
    eventId: string;
    sequence: number;
    occurredAt: string;
  }>;
  const event = activity.find((e) => e.type === type);
  if (!event) throw new Error(`Order ${orderId} has no ${type} event`);
  await env.aws.events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: env.aws.busName,
          Source: 'oms.orders',
          DetailType: type,
          Detail: JSON.stringify({
            metadata: {
              eventId: event.eventId,
              orderId,
              sequence: event.sequence,
              occurredAt: event.occurredAt,
              correlationId: orderId,
            },
            data: event.data,
          }),
        },
      ],
    }),
  );
  return event.eventId;
}
