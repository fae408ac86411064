import { useEffect, useState } from 'preact/hooks';
import type { toOrderView } from '../shared/contracts/order-view';
import { ORDER_STATUSES } from '../shared/domain/order-status';
import { api } from './api';
import { money, since } from './format';
import { Pager } from './pager';

export type OrderView = ReturnType<typeof toOrderView>;
interface OrderPage {
  items: OrderView[];
  nextCursor?: string;
}

/** How often the list looks for new orders: ops watch it fill as the channels sell. */
const REFRESH_MS = 3_000;

/** Every order, newest first, filtered as GET /orders filters, a page at a time. */
export function OrdersPage() {
  const [filters, setFilters] = useState({
    status: '',
    channel: '',
    customerId: '',
    from: '',
    to: '',
    sku: '',
    customerEmail: '',
    externalOrderId: '',
  });
  const [counts, setCounts] = useState<Record<string, number>>();
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<OrderPage>();
  const [error, setError] = useState<string>();

  const cursor = cursors.at(-1);
  useEffect(() => {
    const query = new URLSearchParams({ limit: '25' });
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    if (cursor) query.set('cursor', cursor);
    let live = true;
    const load = () =>
      api<OrderPage>('GET', `/orders?${query}`)
        .then((answer) => {
          if (!live) return;
          setPage(answer);
          setError(undefined);
        })
        .catch((e: Error) => live && setError(e.message));
    const countQuery = new URLSearchParams();
    for (const name of ['from', 'to', 'channel'] as const)
      if (filters[name]) countQuery.set(name, filters[name]);
    const loadCounts = () =>
      api<{ counts: Record<string, number> }>('GET', `/orders/counts?${countQuery}`)
        .then((answer) => live && setCounts(answer.counts))
        .catch((e: Error) => live && setError(e.message));
    void load();
    void loadCounts();
    // Only the first page changes as orders arrive; a later one is read once.
    const timer = cursor
      ? undefined
      : setInterval(() => {
          void load();
          void loadCounts();
        }, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [filters, cursor]);

  const filter = (name: keyof typeof filters) => (event: Event) => {
    setCursors([]);
    setFilters({ ...filters, [name]: (event.target as HTMLInputElement).value.trim() });
  };
  // One box for what ops paste: an order id opens it, an email filters by customer, anything else is the channel's order id.
  const search = (event: Event) => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(text)) {
      location.hash = `#/orders/${text}`;
      return;
    }
    setCursors([]);
    setFilters({
      ...filters,
      customerEmail: text.includes('@') ? text : '',
      externalOrderId: text && !text.includes('@') ? text : '',
    });
  };

  return (
    <section>
      <h2>Orders</h2>
      <search>
        <form class="search" onSubmit={search}>
          <input
            type="search"
            name="q"
            aria-label="Search orders"
            placeholder="Order id, customer email or channel order id"
          />
          <button type="submit">Search</button>
        </form>
      </search>
      {counts ? (
        <ul class="counts">
          {Object.entries(counts)
            .filter(([, n]) => n > 0)
            .map(([status, n]) => (
              <li key={status}>
                <button
                  type="button"
                  class={`status ${status} outline`}
                  data-count={status}
                  onClick={() => {
                    setCursors([]);
                    setFilters({ ...filters, status });
                  }}
                >
                  {status} {n}
                </button>
              </li>
            ))}
        </ul>
      ) : null}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <select aria-label="Status" name="status" value={filters.status} onChange={filter('status')}>
          <option value="">Any status</option>
          {ORDER_STATUSES.map((s) => (
            <option value={s} key={s}>
              {s}
            </option>
          ))}
        </select>
        <input aria-label="Channel" name="channel" placeholder="Channel" onChange={filter('channel')} />
        <input
          aria-label="Customer id"
          name="customerId"
          placeholder="Customer id"
          onChange={filter('customerId')}
        />
        <input aria-label="SKU" name="sku" placeholder="SKU" onChange={filter('sku')} />
        <input aria-label="Placed from" name="from" type="date" onChange={filter('from')} />
        <input aria-label="Placed to" name="to" type="date" onChange={filter('to')} />
      </form>
      {error ? <p class="error">{error}</p> : null}
      <table class="orders striped">
        <thead>
          <tr>
            <th>Order</th>
            <th>Placed</th>
            <th>Channel</th>
            <th>Customer</th>
            <th>Status</th>
            <th class="number">Total</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((order) => (
            <tr key={order.id} data-order={order.id}>
              <td>
                <a href={`#/orders/${order.id}`}>{order.externalOrderId ?? order.id}</a>
              </td>
              <td title={order.createdAt}>{since(order.createdAt)}</td>
              <td>{order.channel}</td>
              <td>{order.customer.email}</td>
              <td>
                <span class={`status ${order.status}`}>{order.status}</span>
              </td>
              <td class="number">{money(order.totals.grandTotal, order.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 ? <p>No orders match.</p> : null}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={page?.nextCursor} />
    </section>
  );
}
