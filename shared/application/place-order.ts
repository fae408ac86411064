import { ConflictError } from '../domain/errors';
import { createOrder, type Order, type OrderDraft } from '../domain/order';
import {
  type Clock,
  DuplicateExternalOrder,
  IdempotencyKeyInFlight,
  IdempotencyKeyUsed,
  type Ids,
  type OrderRepository,
  type OrderWorkflow,
} from './ports';
import { requestHash, requireSameRequest } from './request-hash';

export interface PlaceOrderDeps {
  orders: OrderRepository;
  workflow: OrderWorkflow;
  clock: Clock;
  ids: Ids;
}

export interface PlaceOrderInput {
  idempotencyKey: string;
  /** Who sent it: idempotency keys are the caller's own, so two channels never share one. */
  caller: string;
  draft: OrderDraft;
  correlationId?: string;
}

export interface PlaceOrderResult {
  order: Order;
  /** True when this is a repeat of an earlier request with the same key and body. */
  replayed: boolean;
}

const OPERATION = 'POST /orders';

/** An order's idempotency record: which order the key placed. */
interface PlacedRecord {
  orderId: string;
}

/**
 * Accepts an order exactly once per Idempotency-Key and starts its workflow.
 * A replay also (re)starts the workflow, so a crash between the write and the start heals on retry.
 * The key is kept for good, holding only the order's id (no customer data): a marketplace that
 * retries days later, with no external order id to catch it, gets the order back, not a second
 * one. A replay answers the order as it is now.
 */
export async function placeOrder(deps: PlaceOrderDeps, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const now = deps.clock.now();
  const hash = requestHash(input.draft);
  const order = createOrder(input.draft, {
    id: deps.ids.orderId(),
    now,
    ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
  });
  const key = `${OPERATION}:${input.caller}:${input.idempotencyKey}`;
  try {
    const first: PlacedRecord = { orderId: order.id };
    await deps.orders.create(order, { key, requestHash: hash, result: first, createdAt: now });
  } catch (error) {
    if (error instanceof IdempotencyKeyUsed) {
      requireSameRequest(error.record, hash, input.idempotencyKey);
      const { orderId } = error.record.result as PlacedRecord;
      const first = await deps.orders.get(orderId);
      if (!first)
        throw new Error(
          `Idempotency-Key ${input.idempotencyKey} names order ${orderId}, which does not exist`,
        );
      await deps.workflow.start(first);
      return { order: first, replayed: true };
    }
    if (error instanceof IdempotencyKeyInFlight) {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly', {
        idempotencyKey: input.idempotencyKey,
      });
    }
    if (error instanceof DuplicateExternalOrder) {
      throw new ConflictError(
        `Order ${input.draft.externalOrderId} from channel ${input.draft.channel} was already placed as ${error.existingOrderId}`,
        { existingOrderId: error.existingOrderId },
      );
    }
    throw error;
  }
  await deps.workflow.start(order);
  return { order, replayed: false };
}
