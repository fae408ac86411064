import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { exportOrders, ORDER_EXPORT_COLUMNS } from '../../shared/application/export-orders';
import type { OrderRepository } from '../../shared/application/ports';
import { toCsv } from '../../shared/contracts/csv';
import { ExportOrdersQuery } from '../../shared/contracts/order-schemas';
import { listingChannel } from '../../shared/domain/access';
import type { OrderStatus } from '../../shared/domain/order-status';
import { httpRoute } from '../lib/http-route';

/**
 * The orders the list's filters match, as CSV (one row per order line), up to 500 orders a
 * chunk; the next chunk's URL is in `Link` (rel="next") and its cursor in `OMS-Next-Cursor`.
 */
export const createHandler = (deps: { orders: OrderRepository }) =>
  httpRoute({ query: ExportOrdersQuery }, async ({ query, principal }) => {
    const channel = listingChannel(principal, query.channel);
    const chunk = await exportOrders(deps, {
      ...query,
      status: query.status as OrderStatus | undefined,
      ...(channel === undefined ? {} : { channel }),
    });
    const next = new URLSearchParams(
      Object.entries({ ...query, cursor: chunk.nextCursor }).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, String(value)] as [string, string]],
      ),
    );
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="orders.csv"',
        'oms-orders': String(chunk.orders),
        ...(chunk.nextCursor
          ? { 'oms-next-cursor': chunk.nextCursor, link: `</orders/export?${next.toString()}>; rel="next"` }
          : {}),
      },
      body: toCsv(ORDER_EXPORT_COLUMNS, chunk.rows),
    };
  });

export const handler = createHandler({ orders: awsAdapters.orders() });
