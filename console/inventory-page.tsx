import { useEffect, useState } from 'preact/hooks';
import type { Drift, StockLevel } from '../shared/domain/inventory';
import { api } from './api';
import { when } from './format';
import { Pager } from './pager';

type Row = StockLevel & { ats: number };
interface Check {
  checkedAt: string;
  ok: boolean;
  counted: { stockRows: number; skus: number; reservations: number };
  drift: Drift[];
}

/** Stock per SKU and location with its ATS (GET /inventory), low stock first if asked, and the invariant check. */
export function InventoryPage() {
  const [filter, setFilter] = useState({ locationId: '', lowStock: false });
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<{ items: Row[]; nextCursor?: string }>();
  const [check, setCheck] = useState<Check>();
  const [error, setError] = useState<string>();
  const cursor = cursors.at(-1);

  useEffect(() => {
    const query = new URLSearchParams({ limit: '50' });
    if (filter.locationId) query.set('locationId', filter.locationId);
    if (filter.lowStock) query.set('lowStock', 'true');
    if (cursor) query.set('cursor', cursor);
    api<{ items: Row[]; nextCursor?: string }>('GET', `/inventory?${query}`)
      .then((p) => {
        setPage(p);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message));
  }, [filter, cursor]);

  const runCheck = () =>
    api<Check>('GET', '/ops/inventory-check')
      .then(setCheck)
      .catch((e: Error) => setError(e.message));

  return (
    <section class="inventory">
      <h2>Inventory</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <input
          aria-label="Location"
          placeholder="Location id"
          onChange={(e) => {
            setCursors([]);
            setFilter({ ...filter, locationId: (e.target as HTMLInputElement).value.trim() });
          }}
        />
        <label>
          <input
            type="checkbox"
            role="switch"
            aria-checked={filter.lowStock}
            checked={filter.lowStock}
            onChange={(e) => {
              setCursors([]);
              setFilter({ ...filter, lowStock: (e.target as HTMLInputElement).checked });
            }}
          />
          Low stock only
        </label>
        <button type="button" class="secondary" data-action="check" onClick={runCheck}>
          Check invariants
        </button>
      </form>
      {error ? <p class="error">{error}</p> : null}
      {check ? (
        <article class={check.ok ? 'check ok' : 'check drift'} data-check={check.ok ? 'ok' : 'drift'}>
          {check.ok
            ? `Every invariant holds: ${check.counted.stockRows} stock rows, ${check.counted.skus} SKUs, ${check.counted.reservations} reservations (checked ${when(check.checkedAt)}).`
            : `${check.drift.length} broken invariant(s), checked ${when(check.checkedAt)}:`}
          {check.drift.length > 0 ? (
            <ul>
              {check.drift.map((d) => (
                <li key={`${d.sku}-${d.locationId ?? ''}-${d.rule}`}>
                  {d.sku}
                  {d.locationId ? ` at ${d.locationId}` : ''}: {d.rule} (expected {d.expected}, found{' '}
                  {d.actual})
                </li>
              ))}
            </ul>
          ) : null}
        </article>
      ) : null}
      <table class="striped stock">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Location</th>
            <th class="number">On hand</th>
            <th class="number">Reserved</th>
            <th class="number">Safety</th>
            <th class="number">ATS</th>
            <th class="number">Low at</th>
            <th class="number">Quarantined</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((row) => (
            <tr
              key={`${row.sku}-${row.locationId}`}
              data-sku={row.sku}
              class={row.ats < row.lowStockThreshold ? 'low' : ''}
            >
              <td>{row.sku}</td>
              <td>{row.locationId}</td>
              <td class="number">{row.onHand}</td>
              <td class="number">{row.reserved}</td>
              <td class="number">{row.safetyStock}</td>
              <td class="number" data-ats>
                {row.ats}
              </td>
              <td class="number">{row.lowStockThreshold}</td>
              <td class="number">{row.quarantined ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={page?.nextCursor} />
    </section>
  );
}
