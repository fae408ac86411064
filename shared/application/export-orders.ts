import type { Order } from '../domain/order';
import { type ListOrdersInput, listOrders } from './list-orders';
import type { OrderRepository } from './ports';

/** The columns of an order export: one row per order line, money in minor units. */
export const ORDER_EXPORT_COLUMNS = [
  'orderId',
  'externalOrderId',
  'channel',
  'status',
  'placedAt',
  'customerId',
  'customerEmail',
  'customerName',
  'shipToCity',
  'shipToPostalCode',
  'shipToCountry',
  'currency',
  'orderTotal',
  'paymentMethod',
  'paymentStatus',
  'purchaseOrderNumber',
  'companyId',
  'lineNumber',
  'sku',
  'quantity',
  'cancelledQuantity',
  'unitPrice',
  'lineTotal',
] as const;

const rowsOf = (order: Order) =>
  order.lines.map((line) => ({
    orderId: order.id,
    externalOrderId: order.externalOrderId,
    channel: order.channel,
    status: order.status,
    placedAt: order.createdAt,
    customerId: order.customer.id,
    customerEmail: order.customer.email,
    customerName: order.customer.name,
    shipToCity: order.shippingAddress.city,
    shipToPostalCode: order.shippingAddress.postalCode,
    shipToCountry: order.shippingAddress.country,
    currency: order.currency,
    orderTotal: order.totals.grandTotal,
    paymentMethod: order.payment.method,
    paymentStatus: order.payment.status,
    purchaseOrderNumber: order.purchaseOrder?.number,
    companyId: order.purchaseOrder?.company.id,
    lineNumber: line.lineNumber,
    sku: line.sku,
    quantity: line.quantity,
    cancelledQuantity: line.cancelledQuantity ?? 0,
    unitPrice: line.unitPrice,
    lineTotal: line.lineTotal,
  }));

/** Reads pages of the list until `limit` orders (at most) are in hand. */
const PAGE = 100;

/**
 * One chunk of an export: up to `limit` orders matching the list filters, newest first, as rows
 * (one per line), and the cursor of the next chunk while there is more.
 */
export async function exportOrders(
  deps: { orders: OrderRepository },
  input: ListOrdersInput,
): Promise<{ rows: Array<Record<string, unknown>>; orders: number; nextCursor?: string }> {
  const rows: Array<Record<string, unknown>> = [];
  let orders = 0;
  let cursor = input.cursor;
  do {
    const page = await listOrders(deps, {
      ...input,
      limit: Math.min(PAGE, input.limit - orders),
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const order of page.items) rows.push(...rowsOf(order));
    orders += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined && orders < input.limit);
  return { rows, orders, ...(cursor === undefined ? {} : { nextCursor: cursor }) };
}
