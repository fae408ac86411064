import { NotFoundError } from '../domain/errors';
import type { Order } from '../domain/order';
import type { OrderRepository } from './ports';

/** The order with that id, or NotFoundError. */
export async function getOrder(deps: { orders: OrderRepository }, id: string): Promise<Order> {
  const order = await deps.orders.get(id);
  if (!order) throw new NotFoundError(`Order ${id} does not exist`, { orderId: id });
  return order;
}
