import type { z } from 'zod';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import type { Principal } from '../../shared/domain/access';
import type { Order } from '../../shared/domain/order';
import { httpRoute, json } from './http-route';

/**
 * A change to one order (a cancellation, an edit): applied for the caller under its
 * Idempotency-Key, answered with the order as it now stands; the same key and body again replay.
 */
export function orderChangeRoute<B extends z.ZodType>(
  body: B,
  change: (input: {
    orderId: string;
    request: z.infer<B>;
    principal: Principal;
    idempotencyKey: string;
  }) => Promise<{ order: Order; replayed: boolean }>,
) {
  return httpRoute({ params: OrderIdParams, body, idempotent: true }, async (request) => {
    const { order, replayed } = await change({
      orderId: request.params.id,
      request: request.body,
      principal: request.principal,
      idempotencyKey: request.idempotencyKey,
    });
    return json(200, toOrderView(order), replayed ? { 'idempotent-replayed': 'true' } : {});
  });
}
