import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { FulfilmentDeps } from '../../shared/application/fulfilment';
import { getOrder } from '../../shared/application/get-order';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { httpRoute, json } from '../lib/http-route';

/** Every shipment of an order with its status, carrier, tracking number and history. */
export const createHandler = (deps: Pick<FulfilmentDeps, 'orders' | 'shipments'>) =>
  httpRoute({ params: OrderIdParams }, async ({ params, principal }) => {
    const order = await getOrder(deps, params.id, principal);
    return json(200, { items: await deps.shipments.ofOrder(order.id) });
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  shipments: awsAdapters.shipments(),
});
