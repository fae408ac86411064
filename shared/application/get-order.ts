import { type Principal, requireChannel } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { Order } from '../domain/order';
import type { OrderRepository } from './ports';

/** The order with that id, or NotFoundError; ForbiddenError when `viewer` is not its channel or ops. */
export async function getOrder(
  deps: { orders: OrderRepository },
  id: string,
  viewer?: Principal,
): Promise<Order> {
  const order = await deps.orders.get(id);
  if (!order) throw new NotFoundError(`Order ${id} does not exist`, { orderId: id });
  if (viewer) requireChannel(viewer, order.channel);
  return order;
}
