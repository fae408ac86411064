import type { Principal } from '../domain/access';
import { type HoldReason, holdForFailure, holdOrder, releaseOrder, type StepFailure } from '../domain/hold';
import type { Order } from '../domain/order';
import { OrderEventType, orderEvent } from '../domain/order-events';
import { OrderStatus } from '../domain/order-status';
import { wakeBackorderWaits } from './backorders';
import { getOrder } from './get-order';
import { rewriteOrder } from './order-writes';
import type {
  BackorderBook,
  Clock,
  EventPublisher,
  InventoryLedger,
  OrderRepository,
  ReleaseWaits,
  WorkflowCallbacks,
} from './ports';

export interface HoldDeps {
  orders: OrderRepository;
  events: EventPublisher;
  clock: Clock;
}

export interface ReleaseDeps extends HoldDeps {
  releaseWaits: ReleaseWaits;
  callbacks: WorkflowCallbacks;
  backorders: BackorderBook;
}

/**
 * Ops hold an order (POST /orders/{id}/hold): ON_HOLD, remembering its status. The workflow
 * stops at its next step boundary: the step finds the order held and waits for the release
 * (no pick request, no capture or label while held); what is already under way (a pick the
 * warehouse was asked for) goes on until the next step.
 */
export async function placeHold(
  deps: HoldDeps,
  input: { orderId: string; reason: HoldReason; note?: string; principal: Principal },
): Promise<Order> {
  const { order: held } = await rewriteOrder(
    deps,
    input.orderId,
    (order) =>
      holdOrder(
        order,
        { reason: input.reason, ...(input.note === undefined ? {} : { note: input.note }) },
        { by: input.principal.subject, at: deps.clock.now() },
      ),
    input.principal,
  );
  await deps.events.publish([orderEvent(held, OrderEventType.ON_HOLD)]);
  return held;
}

/**
 * Releases a held order (POST /orders/{id}/release), whoever held it (ops, or the OMS itself on a
 * refused capture or an expired re-route): back to the status it was held in, and every step
 * that waits for the release runs again from where it stopped. Released already but with steps
 * still waiting (a release cut off after its write), it answers them and changes nothing else.
 */
export async function releaseHold(
  deps: ReleaseDeps,
  input: { orderId: string; note?: string; principal: Principal },
): Promise<Order> {
  const current = await getOrder(deps, input.orderId, input.principal);
  let order = current;
  if (current.status === OrderStatus.ON_HOLD || (await deps.releaseWaits.of(current.id)).length === 0) {
    ({ order } = await rewriteOrder(
      deps,
      input.orderId,
      (fresh) =>
        releaseOrder(fresh, {
          by: input.principal.subject,
          at: deps.clock.now(),
          ...(input.note === undefined ? {} : { note: input.note }),
        }),
      input.principal,
    ));
    await deps.events.publish([orderEvent(order, OrderEventType.RELEASED)]);
  }
  await answerReleaseWaits(deps, order.id);
  // Back to waiting for stock: stock that came while it was held passed it by; it looks again now.
  if (order.status === OrderStatus.BACKORDERED)
    await wakeBackorderWaits(deps, order, (wait) => wait.shipmentId === undefined, 'released');
  return order;
}

/** Lets every step that waits for the order's release run again (it finds the order as it now is). */
export async function answerReleaseWaits(
  deps: Pick<ReleaseDeps, 'releaseWaits' | 'callbacks'>,
  orderId: string,
): Promise<void> {
  for (const wait of await deps.releaseWaits.of(orderId)) {
    await deps.callbacks.succeed(wait.taskToken, { released: true });
    await deps.releaseWaits.remove(orderId, wait.waitId);
  }
}

/**
 * Workflow task (waits on `taskToken`) before a step that found its order held: files the wait,
 * then looks again, since a release between the step's read and now would wake nobody.
 */
export async function awaitRelease(
  deps: Pick<ReleaseDeps, 'orders' | 'releaseWaits' | 'callbacks'>,
  input: { orderId: string; step: string; shipmentId?: string; taskToken: string },
): Promise<void> {
  const waitId = `${input.step}-${input.shipmentId ?? 'order'}`;
  await deps.releaseWaits.add(input.orderId, { waitId, taskToken: input.taskToken });
  const order = await getOrder(deps, input.orderId);
  if (order.status === OrderStatus.ON_HOLD) return;
  await deps.callbacks.succeed(input.taskToken, { released: true });
  await deps.releaseWaits.remove(order.id, waitId);
}

/**
 * Workflow task after a step failed past its retries: the order goes ON_HOLD for ops, with the
 * error (an OrderOnHold alert), instead of the execution failing with stock held; before routing
 * its reservation is released too. The execution then waits for the release.
 */
export async function holdAfterFailure(
  deps: HoldDeps & { ledger: InventoryLedger },
  input: { orderId: string; step: string; error?: StepFailure; releaseStock: boolean },
): Promise<void> {
  if (input.releaseStock) await deps.ledger.release(input.orderId);
  const { order, written } = await rewriteOrder(deps, input.orderId, (current) =>
    holdForFailure(
      current,
      { step: input.step, ...(input.error ? { error: input.error } : {}), stockReleased: input.releaseStock },
      deps.clock.now(),
    ),
  );
  if (written) await deps.events.publish([orderEvent(order, OrderEventType.ON_HOLD)]);
}
