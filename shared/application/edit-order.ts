import type { Principal } from '../domain/access';
import { ConflictError, UnprocessableError } from '../domain/errors';
import { type Order, orderMoney, type Payment, PaymentStatus } from '../domain/order';
import { type EditRequest, type OrderEdit, planEdit } from '../domain/order-edits';
import { orderEditedEvent } from '../domain/order-events';
import { OrderStatus } from '../domain/order-status';
import type { ShipmentRecord } from '../domain/shipment';
import { ShipmentEventType, shipmentEvent } from '../domain/shipment-events';
import { wakeBackorderWaits } from './backorders';
import type { CancelOrderDeps } from './cancel-order';
import { answerPickWait } from './fulfilment';
import { getOrder } from './get-order';
import { voidCancelled } from './payments';
import { StaleOrderVersion, StaleShipment } from './ports';
import { requestHash, requireSameRequest } from './request-hash';

export type EditOrderDeps = CancelOrderDeps;

/** A racing writer (the workflow, a warehouse report) changed the order or a shipment: plan again. */
const PLAN_ATTEMPTS = 8;

export class PaymentDeclinedForEdit extends UnprocessableError {}

/**
 * Edits an order before its pick (lines, address, service level) in one step: the payment is
 * authorized for a larger total first (a decline changes nothing), then the stock is amended in
 * one transaction (a shortage changes nothing, and the new authorization is voided), the
 * shipments waiting at their warehouses are cut, and the order is written (the commit point).
 * Then, each step safe to run again: the old authorization (or the difference) is voided, the
 * warehouses are told to stop, the waits of the workflow end so it routes the order afresh (or
 * allocates a backordered order's new lines), and OrderEdited goes out. The same Idempotency-Key
 * with the same body answers the same edit.
 */
export async function editOrder(
  deps: EditOrderDeps,
  input: { orderId: string; request: EditRequest; principal: Principal; idempotencyKey: string },
): Promise<{ order: Order; edit: OrderEdit; replayed: boolean }> {
  const key = `${input.principal.subject}:${input.idempotencyKey}`;
  const hash = requestHash(input.request);
  const id = `${input.orderId}-E${requestHash(key).slice(0, 10)}`;
  for (let attempt = 1; ; attempt++) {
    const order = await getOrder(deps, input.orderId, input.principal);
    const earlier = order.edits?.find((e) => e.key === key);
    if (earlier) {
      requireSameRequest(earlier, hash, input.idempotencyKey);
      return { order: await settle(deps, order, earlier), edit: earlier, replayed: true };
    }
    const records = order.shipments ? await deps.shipments.ofOrder(order.id) : [];
    const at = deps.clock.now();
    const plan = planEdit(order, records, input.request, {
      id,
      key,
      requestHash: hash,
      at,
      by: input.principal.subject,
    });
    const payment = await authorizeMore(deps, order, plan.edit, at);
    if (plan.holdsStock) {
      const amended = await deps.ledger.amend(order.id, plan.hold);
      if (!amended.reserved) {
        if (payment) await voidAuthorization(deps, order, payment, `void-${id}-short-${at}`);
        throw new ConflictError(
          `Not enough stock for the edit: ${amended.shortages.map((s) => `${s.sku} (${s.missing} missing)`).join(', ')}`,
          { shortages: amended.shortages },
        );
      }
    }
    const edited = payment ? { ...plan.order, payment } : plan.order;
    try {
      for (const record of plan.cut) await deps.shipments.update(record);
      await deps.orders.update(edited);
    } catch (error) {
      const raced = error instanceof StaleOrderVersion || error instanceof StaleShipment;
      if (!raced || attempt >= PLAN_ATTEMPTS) throw error;
      continue;
    }
    return { order: await settle(deps, edited, plan.edit), edit: plan.edit, replayed: false };
  }
}

/**
 * A larger open total needs a larger authorization: a new one for the whole, asked before anything
 * changes; the old one is voided once the edit holds. A smaller total is voided down after.
 */
async function authorizeMore(
  deps: EditOrderDeps,
  order: Order,
  edit: OrderEdit,
  at: string,
): Promise<Payment | undefined> {
  const { payment } = order;
  if (payment.status !== PaymentStatus.AUTHORIZED || !payment.authorizationId) return undefined;
  const { outstanding } = orderMoney(order);
  const needed = edit.after.openValue;
  if (needed <= outstanding) return undefined;
  const result = await deps.payments.authorize({
    orderId: order.id,
    amount: needed,
    currency: order.currency,
    method: payment.method as Exclude<Payment['method'], 'exchange' | 'marketplace'>,
    ...(payment.token === undefined ? {} : { token: payment.token }),
    // A new key per attempt: an attempt refused for stock voids its authorization.
    idempotencyKey: `authorize-${edit.id}-${at}`,
  });
  if (result.outcome === 'declined')
    throw new PaymentDeclinedForEdit(`The payment was declined for the edited total: ${result.reason}`, {
      code: result.code,
      amount: needed,
    });
  if (result.outcome !== 'authorized') return undefined;
  return {
    ...payment,
    authorizationId: result.authorizationId,
    authorizedAmount: needed,
    movements: [],
    replacedAuthorizations: [
      ...(payment.replacedAuthorizations ?? []),
      { authorizationId: payment.authorizationId, outstanding, at },
    ],
  };
}

function voidAuthorization(deps: EditOrderDeps, order: Order, payment: Payment, key: string) {
  return deps.payments.void({
    authorizationId: payment.authorizationId as string,
    amount: payment.authorizedAmount as number,
    currency: order.currency,
    idempotencyKey: key,
  });
}

/** Everything after the commit; each step safe to run again. Returns the order as it now stands. */
async function settle(deps: EditOrderDeps, order: Order, edit: OrderEdit): Promise<Order> {
  const replaced = order.payment.replacedAuthorizations?.find((r) => r.at === edit.at);
  if (replaced && replaced.outstanding > 0)
    await deps.payments.void({
      authorizationId: replaced.authorizationId,
      amount: replaced.outstanding,
      currency: order.currency,
      idempotencyKey: `void-${edit.id}`,
    });
  const { outstanding } = orderMoney(order);
  const settled =
    !replaced && outstanding > edit.after.openValue
      ? await voidCancelled(deps, order.id, { id: edit.id, amount: outstanding - edit.after.openValue })
      : order;
  const records: ShipmentRecord[] = [];
  for (const id of edit.cancelledShipments) {
    const record = await deps.shipments.get(id);
    if (record) records.push(record);
  }
  await deps.events.publish([
    orderEditedEvent(order, edit),
    ...records.map((r) => shipmentEvent(r, ShipmentEventType.CANCEL_REQUESTED, order.correlationId, '-edit')),
  ]);
  // The called-off shipments' branches end; the workflow then routes the order afresh.
  for (const record of records) {
    const token = await deps.shipments.waitToken(record.id, 'pick');
    if (token) await answerPickWait(deps.callbacks, token, { outcome: 'cancelled' });
  }
  // A backordered order looks again: its new lines may be in stock.
  if (order.status === OrderStatus.BACKORDERED)
    await wakeBackorderWaits(deps, order, (wait) => wait.shipmentId === undefined, `edit ${edit.id}`);
  return settled;
}
