import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { importOrders } from '../../shared/application/import-orders';
import type { PlaceOrderDeps } from '../../shared/application/place-order';
import { OrderImportBody } from '../../shared/contracts/order-import';
import { PlaceOrderBody } from '../../shared/contracts/order-schemas';
import type { OrderDraft } from '../../shared/domain/order';
import { httpRoute, json } from '../lib/http-route';

/** Each order is checked on its own, so one bad order is reported without refusing the others. */
function checkOrder(order: unknown): { draft: OrderDraft } | { invalid: string; externalOrderId?: string } {
  const parsed = PlaceOrderBody.safeParse(order);
  if (parsed.success) return { draft: parsed.data };
  const external = (order as { externalOrderId?: unknown } | null)?.externalOrderId;
  return {
    invalid: parsed.error.issues.map((i) => `${i.path.join('.') || 'order'}: ${i.message}`).join('; '),
    ...(typeof external === 'string' ? { externalOrderId: external } : {}),
  };
}

/** Orders from another system (a migration, a marketplace's backlog): up to 50 a request, a report per order. */
export const createHandler = (deps: PlaceOrderDeps) =>
  httpRoute({ body: OrderImportBody, idempotent: true }, async (request) =>
    json(
      200,
      await importOrders(deps, {
        idempotencyKey: request.idempotencyKey,
        principal: request.principal,
        correlationId: request.correlationId,
        orders: request.body.orders.map(checkOrder),
      }),
    ),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
