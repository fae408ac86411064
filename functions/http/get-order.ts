import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getOrder } from '../../shared/application/get-order';
import type { OrderRepository } from '../../shared/application/ports';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { toOrderView } from '../../shared/contracts/order-view';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { orders: OrderRepository }) =>
  httpRoute({ params: OrderIdParams }, async (request) =>
    json(200, toOrderView(await getOrder(deps, request.params.id, request.principal))),
  );

export const handler = createHandler({ orders: awsAdapters.orders() });
