import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { listOrders } from '../../shared/application/list-orders';
import type { OrderRepository } from '../../shared/application/ports';
import { ListOrdersQuery } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { listingChannel } from '../../shared/domain/access';
import type { OrderStatus } from '../../shared/domain/order-status';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { orders: OrderRepository }) =>
  httpRoute({ query: ListOrdersQuery }, async ({ query, principal }) => {
    const channel = listingChannel(principal, query.channel);
    const page = await listOrders(deps, {
      ...query,
      status: query.status as OrderStatus | undefined,
      ...(channel === undefined ? {} : { channel }),
    });
    return json(200, {
      items: page.items.map(toOrderView),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  });

export const handler = createHandler({ orders: awsAdapters.orders() });
