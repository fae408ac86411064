import type { Order } from '../domain/order';
import type { OrderFilter, OrderRepository, Page } from './ports';

export interface ListOrdersInput extends OrderFilter {
  limit: number;
  cursor?: string;
}

/** Orders matching every given filter, newest first, one page at a time. */
export async function listOrders(
  deps: { orders: OrderRepository },
  input: ListOrdersInput,
): Promise<Page<Order>> {
  const { limit, cursor, ...filter } = input;
  return deps.orders.list(filter, { limit, ...(cursor === undefined ? {} : { cursor }) });
}
