import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../../shared/domain/webhook-signature';
import {
  afterAttempt,
  deliveryHeaders,
  deliveryOrderKey,
  newDelivery,
  retryScheduleSeconds,
  streamOf,
  subscribesTo,
  type WebhookSourceEvent,
  webhookUrlProblem,
} from '../../../shared/domain/webhooks';

const event = (overrides: Partial<WebhookSourceEvent['detail']['metadata']> = {}, data: unknown = {}) => ({
  source: 'oms.orders',
  detailType: 'OrderConfirmed',
  detail: {
    metadata: {
      eventId: 'ev-1',
      orderId: 'O1',
      sequence: 3,
      occurredAt: '2026-12-06T10:00:00.000Z',
      correlationId: 'c',
      ...overrides,
    },
    data,
  },
});

describe('outbound webhooks', () => {
  it('allow only this machine in the local cloud, and only https to a public host name on AWS', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9000/hooks', 'local')).toBeUndefined();
    expect(webhookUrlProblem('http://localhost/hooks', 'local')).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]:80/x', 'local')).toBeUndefined();
    expect(webhookUrlProblem('https://erp.example.com/hooks', 'local')).toMatch(/only to this machine/);
    expect(webhookUrlProblem('https://erp.example.com/hooks', 'aws')).toBeUndefined();
    expect(webhookUrlProblem('http://erp.example.com/hooks', 'aws')).toBe('must be https');
    for (const inside of [
      'https://127.0.0.1/x',
      'https://10.0.0.8/x',
      'https://[::1]/x',
      'https://intranet/x',
      'https://db.internal/x',
    ])
      expect(webhookUrlProblem(inside, 'aws')).toMatch(/public host/);
    expect(webhookUrlProblem('https://user:pw@erp.example.com/', 'aws')).toBe('must not carry credentials');
    expect(webhookUrlProblem('not a url', 'aws')).toBe('not a URL');
  });

  it("put an order's events in the order's stream, a stock row's in the row's, and sort a stream by time then sequence", () => {
    expect(streamOf(event())).toBe('order:O1');
    expect(streamOf(event({ orderId: undefined }, { sku: 'S', locationId: 'L' }))).toBe('stock:S@L');
    expect(streamOf({ ...event({ orderId: undefined }), detailType: 'Other' })).toBe('type:Other');
    const keys = [
      { occurredAt: '2026-12-06T10:00:00.000Z', sequence: 10, eventId: 'b' },
      { occurredAt: '2026-12-06T10:00:00.000Z', sequence: 9, eventId: 'c' },
      { occurredAt: '2026-12-06T09:59:59.999Z', sequence: 11, eventId: 'a' },
    ].map(deliveryOrderKey);
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0]]);
  });

  it('sign each attempt over its exact body with the subscription secret, and count the attempt in its headers', () => {
    const delivery = { ...newDelivery(event(), { id: 'SUB' }, '2026-12-06T10:00:01.000Z'), id: 'D' };
    expect(JSON.parse(delivery.body)).toMatchObject({
      id: 'ev-1',
      type: 'OrderConfirmed',
      sequence: 3,
      orderId: 'O1',
    });
    const headers = deliveryHeaders(delivery, 'whsec_test', 1_800_000_000);
    expect(
      verifyWebhookSignature(delivery.body, headers['oms-signature'], ['whsec_test'], 1_800_000_010).valid,
    ).toBe(true);
    expect(headers['oms-delivery-attempt']).toBe('1');
    const failed = afterAttempt(delivery, { at: 'x', trigger: 'event', ok: false, statusCode: 503, ms: 3 });
    expect(failed.status).toBe('PENDING');
    expect(deliveryHeaders(failed, 'whsec_test', 1_800_000_000)['oms-delivery-attempt']).toBe('2');
    expect(
      afterAttempt(failed, { at: 'y', trigger: 'retry', ok: true, statusCode: 204, ms: 2 }),
    ).toMatchObject({
      status: 'DELIVERED',
      deliveredAt: 'y',
    });
  });

  it('match event types, or every type with *', () => {
    const subscription = { eventTypes: ['OrderPlaced'] } as Parameters<typeof subscribesTo>[0];
    expect(subscribesTo(subscription, 'OrderPlaced')).toBe(true);
    expect(subscribesTo(subscription, 'OrderShipped')).toBe(false);
    expect(subscribesTo({ ...subscription, eventTypes: ['*'] }, 'OrderShipped')).toBe(true);
  });

  it('retry a failing subscriber for 24 hours: 30 s doubling, never more than an hour apart', () => {
    const schedule = retryScheduleSeconds();
    expect(schedule.slice(0, 3)).toEqual([30, 60, 120]);
    expect(Math.max(...schedule)).toBe(3600);
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600);
    expect(total).toBeLessThan(25 * 3600);
  });
});
