import { type Principal, requireLocation } from '../domain/access';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import type { Address } from '../domain/order';
import { PaymentStatus } from '../domain/order';
import { RETURN_LABEL_ISSUED } from '../domain/return-events';
import {
  applyReturnTracking,
  checkReceipt,
  type OrderReturn,
  ReturnStatus,
  receivedUnits,
  refundFor,
} from '../domain/returns';
import type { TrackingUpdate } from '../domain/shipment';
import { billableGrams, chooseQuote, zoneOf } from '../domain/shipping';
import { getOrder } from './get-order';
import { refundReturn } from './payments';
import { placeOrder } from './place-order';
import type {
  CarrierNetwork,
  Ids,
  InventoryLedger,
  LocationRepository,
  OrderWorkflow,
  PaymentGateway,
  ShipmentRepository,
  WorkflowCallbacks,
} from './ports';
import {
  endReturnWait,
  getReturn,
  moveReturn,
  publishReturn,
  type ReturnDeps,
  rewriteReturn,
} from './returns';
import { returnToStock } from './stock';

/**
 * Workflow step: buys the return label (the customer's address to the location that shipped the
 * units, the carrier's cheapest standard service), once: the carrier answers the same return id
 * with the same label. ReturnLabelIssued tells the customer how to send the parcel.
 */
export async function issueReturnLabel(
  deps: ReturnDeps & {
    locations: LocationRepository;
    carriers: CarrierNetwork;
    shipments: ShipmentRepository;
  },
  returnId: string,
): Promise<{ returnId: string; trackingNumber: string }> {
  const rma = await getReturn(deps, returnId);
  if (rma.label) {
    await publishReturn(deps, rma, RETURN_LABEL_ISSUED);
    return { returnId, trackingNumber: rma.label.trackingNumber };
  }
  const [order, location, shipments] = await Promise.all([
    getOrder(deps, rma.orderId),
    deps.locations.get(rma.locationId),
    deps.shipments.ofOrder(rma.orderId),
  ]);
  if (!location) throw new NotFoundError(`Location ${rma.locationId} does not exist`);
  const parcels = shipments.find((s) => s.locationId === rma.locationId)?.packages ?? [];
  const quote = chooseQuote(
    await deps.carriers.quotes({
      zone: zoneOf(order.shippingAddress, location.address),
      billableGrams: billableGrams(parcels),
    }),
    'standard',
  );
  if (!quote) throw new UnprocessableError(`No carrier offers a return label for ${returnId}`);
  const to: Address = {
    name: location.name,
    line1: location.address.line1 ?? location.name,
    city: location.address.city ?? '',
    postalCode: location.address.postalCode ?? '',
    country: location.address.country,
    ...(location.address.region ? { region: location.address.region } : {}),
  };
  const label = await deps.carriers.createLabel({
    shipmentId: rma.id,
    quote,
    from: order.shippingAddress,
    to,
    parcels,
  });
  const { rma: labelled } = await rewriteReturn(deps, returnId, (current) =>
    current.label
      ? undefined
      : {
          ...current,
          label: { carrier: quote.carrier, service: quote.service, ...label },
          version: current.version + 1,
          updatedAt: deps.clock.now(),
        },
  );
  await publishReturn(deps, labelled, RETURN_LABEL_ISSUED);
  return { returnId, trackingNumber: labelled.label?.trackingNumber ?? label.trackingNumber };
}

/**
 * A verified carrier update about a return parcel (its tracking number named no shipment):
 * recorded once by event id; the first scan puts the return IN_TRANSIT.
 */
export async function applyReturnCarrierUpdate(deps: ReturnDeps, rma: OrderReturn, update: TrackingUpdate) {
  let moved = false;
  const { rma: updated, written } = await rewriteReturn(deps, rma.id, (current) => {
    const result = applyReturnTracking(current, update, deps.clock.now());
    moved = result.rma.status !== current.status;
    return result.duplicate ? undefined : result.rma;
  });
  if (moved) await publishReturn(deps, updated);
  return { returnId: updated.id, duplicate: !written, moved, status: updated.status };
}

/**
 * The warehouse reports what the parcel held, line by line (resellable, damaged), or rejects it at
 * inspection with a reason; the return's wait for its parcel ends. The same report again is a no-op.
 */
export async function receiveReturn(
  deps: ReturnDeps & { callbacks: WorkflowCallbacks },
  input: {
    returnId: string;
    lines: Array<{ lineNumber: number; resellable: number; damaged: number }>;
    reject?: string;
    note?: string;
    principal: Principal;
  },
): Promise<OrderReturn> {
  const current = await getReturn(deps, input.returnId);
  requireLocation(input.principal, current.locationId);
  const to = input.reject ? ReturnStatus.REJECTED : ReturnStatus.RECEIVED;
  if (
    current.status !== to &&
    current.status !== ReturnStatus.APPROVED &&
    current.status !== ReturnStatus.IN_TRANSIT
  )
    throw new ConflictError(`Return ${current.id} is ${current.status}: it cannot be received now`, {
      returnId: current.id,
      status: current.status,
    });
  const lines = checkReceipt(current, input.lines);
  const at = deps.clock.now();
  const by = input.principal.subject;
  const receipt = {
    at,
    by,
    locationId: current.locationId,
    lines,
    ...(input.note ? { note: input.note } : {}),
  };
  const rma = await moveReturn(deps, input.returnId, to, () =>
    input.reject
      ? {
          receipt,
          rejection: { by, at, stage: 'inspection', reason: input.reject },
          source: by,
          detail: input.reject,
        }
      : { receipt, source: by },
  );
  await endReturnWait(deps, rma, 'receipt');
  return rma;
}

/** Workflow step: resellable units back on hand where they arrived, damaged ones to quarantine; once per line. */
export async function restockReturn(
  deps: ReturnDeps & { ledger: InventoryLedger; locations: LocationRepository },
  returnId: string,
): Promise<{ returnId: string; restocked: number; quarantined: number }> {
  const rma = await getReturn(deps, returnId);
  const order = await getOrder(deps, rma.orderId);
  let restocked = 0;
  let quarantined = 0;
  for (const line of rma.receipt?.lines ?? []) {
    if (line.resellable + line.damaged === 0) continue;
    await returnToStock(
      deps,
      {
        sku: line.sku,
        locationId: rma.receipt?.locationId ?? rma.locationId,
        correlationId: order.correlationId,
        returnId: rma.id,
        lineNumber: line.lineNumber,
      },
      { resellable: line.resellable, damaged: line.damaged },
    );
    restocked += line.resellable;
    quarantined += line.damaged;
  }
  return { returnId, restocked, quarantined };
}

/**
 * Workflow step, after receipt: a refund goes back through the provider (the received units less
 * the restocking fee, under `refund-<returnId>`: once, and never more than was captured, which the
 * provider refuses); an exchange places the replacement order, paid by the returned goods.
 */
export async function settleReturn(
  deps: ReturnDeps & {
    payments: PaymentGateway;
    workflow: OrderWorkflow;
    ids: Ids;
  },
  returnId: string,
): Promise<{ returnId: string; status: ReturnStatus }> {
  const rma = await getReturn(deps, returnId);
  if (rma.status !== ReturnStatus.RECEIVED) {
    if (rma.status === ReturnStatus.REFUNDED || rma.status === ReturnStatus.EXCHANGED)
      await publishReturn(deps, rma);
    return { returnId, status: rma.status };
  }
  const replacing = receivedUnits(rma);
  if (rma.resolution === 'exchange' && replacing.length > 0) {
    const order = await getOrder(deps, rma.orderId);
    const { order: replacement } = await placeOrder(deps, {
      idempotencyKey: `exchange-${rma.id}`,
      caller: 'oms',
      correlationId: order.correlationId,
      draft: {
        channel: order.channel,
        customer: order.customer,
        shippingAddress: order.shippingAddress,
        currency: order.currency,
        lines: replacing.map((l) => ({
          sku: l.exchangeSku ?? l.sku,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
        })),
        payment: { method: 'exchange' },
        shippingMethod: order.shippingMethod,
        exchangeOf: { orderId: order.id, returnId: rma.id },
      },
    });
    const exchanged = await moveReturn(deps, returnId, ReturnStatus.EXCHANGED, () => ({
      replacementOrderId: replacement.id,
    }));
    return { returnId, status: exchanged.status };
  }
  const { amount, fee } = refundFor(rma);
  const paid = await getOrder(deps, rma.orderId);
  const refunded =
    paid.payment.status === PaymentStatus.AUTHORIZED && amount > 0
      ? await refundReturn(deps, rma.orderId, { returnId, amount })
      : paid;
  const movement = refunded.payment.movements?.find((m) => m.key === `refund-${returnId}`);
  const done = await moveReturn(deps, returnId, ReturnStatus.REFUNDED, () => ({
    refund: {
      amount: movement?.amount ?? 0,
      fee,
      // Paid later (invoice, boleto) or by another return: the amount is credited on the account.
      reference: movement?.reference ?? `credit-${returnId}`,
      at: deps.clock.now(),
    },
  }));
  return { returnId, status: done.status };
}

/** Workflow's last step: CLOSED once refunded or exchanged, or when no parcel came back in time. */
export async function closeReturn(
  deps: ReturnDeps,
  input: { returnId: string; expired?: boolean },
): Promise<{ returnId: string; status: ReturnStatus }> {
  const rma = await moveReturn(deps, input.returnId, ReturnStatus.CLOSED, () =>
    input.expired ? { detail: 'no parcel came back before the label expired' } : {},
  );
  return { returnId: rma.id, status: rma.status };
}
