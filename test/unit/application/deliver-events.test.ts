import { describe, expect, it } from 'vitest';
import type { WebhookDeps } from '../../../shared/application/webhooks';
import { deliverEvents } from '../../../shared/application/webhooks';
import type { WebhookSourceEvent } from '../../../shared/domain/webhooks';

const event = (orderId: string, sequence: number): WebhookSourceEvent => ({
  source: 'oms.orders',
  detailType: 'OrderConfirmed',
  detail: {
    metadata: {
      eventId: `${orderId}-${sequence}`,
      orderId,
      sequence,
      occurredAt: '2026-12-07T10:00:00.000Z',
      correlationId: orderId,
    },
    data: {},
  },
});

describe('webhook senders reading a batch', () => {
  it("files each stream's events in their order, streams side by side, and names only the events that could not be filed", async () => {
    const filed: string[] = [];
    let bFiled: () => void = () => {};
    const bIsFiled = new Promise<void>((resolve) => {
      bFiled = resolve;
    });
    const webhooks = {
      listSubscriptions: async () => [
        { id: 'sub-1', url: 'http://127.0.0.1/hooks', eventTypes: ['*'], status: 'ENABLED', secret: 's' },
      ],
      enqueue: async (delivery: { eventId: string }) => {
        if (delivery.eventId === 'c-1') throw new Error('throttled');
        // Order a's first event waits for order b's: streams one after another would never get there.
        if (delivery.eventId === 'a-1') await bIsFiled;
        filed.push(delivery.eventId);
        if (delivery.eventId === 'b-1') bFiled();
        return true;
      },
      // Another sender holds every stream: filing is all this test watches.
      takeStream: async () => false,
    };
    const deps = {
      webhooks,
      clock: { now: () => '2026-12-07T10:00:01.000Z' },
      retries: { start: async () => {} },
    } as unknown as WebhookDeps & { retries: { start: () => Promise<void> } };

    const { failed } = await deliverEvents(deps, [
      { key: 'm-a2', event: event('a', 2) },
      { key: 'm-b1', event: event('b', 1) },
      { key: 'm-a1', event: event('a', 1) },
      { key: 'm-c1', event: event('c', 1) },
    ]);

    expect(failed).toEqual(['m-c1']);
    expect(filed.filter((id) => id.startsWith('a-'))).toEqual(['a-1', 'a-2']);
    expect(filed).toContain('b-1');
  });
});
