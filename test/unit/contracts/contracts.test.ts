import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../shared/contracts/api-routes';
import { eventJsonSchemas } from '../../../shared/contracts/event-json-schemas';
import { EVENT_DETAIL_SCHEMAS } from '../../../shared/contracts/event-schemas';
import { buildOpenApiDocument } from '../../../shared/contracts/openapi';
import { PlaceOrderBody } from '../../../shared/contracts/order-schemas';
import { countStock } from '../../../shared/domain/inventory';
import { stockEvents } from '../../../shared/domain/inventory-events';
import { createOrder, recordMovement, transitionOrder } from '../../../shared/domain/order';
import { orderEvent, paymentMovedEvent } from '../../../shared/domain/order-events';
import { orderBody } from '../../support/orders';

const root = path.resolve(import.meta.dirname, '../../..');

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is OpenAPI 3.1 and describes every operation of the API contract', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('takes the place-order body from the same zod schema that validates it, with the required header', () => {
    const post = (
      document.paths['/orders'] as Record<
        string,
        { requestBody: unknown; parameters: Array<{ name: string }> }
      >
    ).post;
    expect(post?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PlaceOrderRequest' } } },
    });
    expect(post?.parameters.map((p) => p.name)).toContain('Idempotency-Key');
    const schema = document.components.schemas.PlaceOrderRequest as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(['channel', 'customer', 'shippingAddress', 'lines', 'currency', 'payment']),
    );
    expect(Object.keys(schema.properties)).toEqual(Object.keys(PlaceOrderBody.shape));
  });

  it('answers errors as problem+json', () => {
    const responses = (
      document.paths['/orders/{id}'] as Record<string, { responses: Record<string, { content: object }> }>
    ).get?.responses;
    expect(Object.keys(responses?.['404']?.content ?? {})).toEqual(['application/problem+json']);
  });
});

describe('the example order body', () => {
  it('is valid, so the tests and the README start from a real order', () => {
    expect(PlaceOrderBody.safeParse(orderBody()).success).toBe(true);
  });
});

describe('event schemas', () => {
  it('are committed in schemas/events as `npm run schemas` generates them', () => {
    for (const [name, schema] of Object.entries(eventJsonSchemas())) {
      const committed = JSON.parse(
        readFileSync(path.join(root, 'schemas', 'events', `${name}.json`), 'utf8'),
      );
      expect(committed, `${name}.json is stale: run npm run schemas`).toEqual(schema);
    }
  });

  it('accept the order events the domain builds', () => {
    const placed = createOrder(PlaceOrderBody.parse(orderBody()), {
      id: 'o1',
      now: '2026-01-01T00:00:00.000Z',
    });
    const confirmed = transitionOrder(placed, 'CONFIRMED', '2026-01-01T00:00:01.000Z');
    const schemas = EVENT_DETAIL_SCHEMAS['oms.orders'];
    expect(schemas.OrderPlaced.safeParse(orderEvent(placed, 'OrderPlaced').detail).success).toBe(true);
    expect(schemas.OrderConfirmed.safeParse(orderEvent(confirmed, 'OrderConfirmed').detail).success).toBe(
      true,
    );
  });
});

describe('payment events', () => {
  it('are valid against their schema and keep the id and sequence of the movement however often re-published', () => {
    const placed = createOrder(PlaceOrderBody.parse(orderBody()), {
      id: 'o1',
      now: '2026-01-01T00:00:00.000Z',
    });
    const authorized = {
      ...placed,
      payment: {
        ...placed.payment,
        status: 'AUTHORIZED' as const,
        authorizationId: 'auth_1',
        authorizedAmount: 12480,
      },
    };
    const captured = recordMovement(authorized, {
      kind: 'capture',
      key: 'capture-o1-1',
      amount: 12480,
      reference: 'capture_1',
      at: '2026-01-01T00:00:02.000Z',
    });
    const movement = captured.payment.movements?.[0];
    if (!movement) throw new Error('not recorded');
    const event = paymentMovedEvent(captured, movement);
    expect(event.detailType).toBe('PaymentCaptured');
    expect(EVENT_DETAIL_SCHEMAS['oms.orders'].PaymentCaptured.safeParse(event.detail).success).toBe(true);
    expect(event.detail.data.money).toMatchObject({ captured: 12480, outstanding: 0 });
    const later = paymentMovedEvent({ ...captured, version: captured.version + 3 }, movement);
    expect(later.detail.metadata).toMatchObject({ eventId: 'o1-capture-o1-1', sequence: captured.version });
  });
});

describe('stock events', () => {
  it('are StockChanged plus the signal a crossing raises, each valid against its schema', () => {
    const key = { sku: 'MUG', locationId: 'sp-1' };
    const before = countStock(
      undefined,
      key,
      { onHand: 10, lowStockThreshold: 5 },
      '2026-01-01T00:00:00.000Z',
    );
    const after = countStock(before, key, { onHand: 3 }, '2026-01-01T00:00:01.000Z');
    const events = stockEvents(before, after, 'count', 'corr-1');
    expect(events.map((e) => e.detailType)).toEqual(['StockChanged', 'StockLow']);
    const schemas = EVENT_DETAIL_SCHEMAS['oms.inventory'];
    for (const event of events) {
      expect(event.source).toBe('oms.inventory');
      expect(schemas[event.detailType as keyof typeof schemas].safeParse(event.detail).success).toBe(true);
    }
    expect(events[0]?.detail.data).toMatchObject({
      before: { onHand: 10, ats: 10 },
      after: { onHand: 3, ats: 3 },
    });
  });
});
