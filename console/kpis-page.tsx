import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { KpiReport, Rate } from '../shared/domain/kpis';
import { api } from './api';
import { BarChart } from './chart';
import { money } from './format';

type Kpis = KpiReport & { from: string; to: string; channel?: string };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const COLOURS = ['#1565c0', '#ef6c00', '#2e7d32', '#6a1b9a', '#c62828', '#00838f'];

const percent = (rate: Rate) => (rate.value === null ? 'n/a' : `${(rate.value * 100).toFixed(1)}%`);
const minutes = (ms: number | null) =>
  ms === null
    ? 'n/a'
    : ms < 90_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms < 5_400_000
        ? `${(ms / 60_000).toFixed(1)} min`
        : `${(ms / 3_600_000).toFixed(1)} h`;

function ordersChart(report: Kpis): ChartConfiguration<'bar'> {
  const days = [...new Set(report.ordersPerDay.map((d) => d.day))];
  const channels = [...new Set(report.ordersPerDay.map((d) => d.channel))];
  return {
    type: 'bar',
    data: {
      labels: days,
      datasets: channels.map((channel, i) => ({
        label: channel,
        backgroundColor: COLOURS[i % COLOURS.length] ?? '#1565c0',
        data: days.map(
          (d) => report.ordersPerDay.find((o) => o.day === d && o.channel === channel)?.orders ?? 0,
        ),
      })),
    },
    options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  };
}

function stagesChart(report: Kpis): ChartConfiguration<'bar'> {
  const stages = Object.entries(report.stages);
  const inMinutes = (ms: number | null) => (ms === null ? 0 : ms / 60_000);
  return {
    type: 'bar',
    data: {
      labels: stages.map(([name]) => `placed → ${name}`),
      datasets: [
        { label: 'p50 (min)', backgroundColor: '#1565c0', data: stages.map(([, s]) => inMinutes(s.p50Ms)) },
        { label: 'p95 (min)', backgroundColor: '#ef6c00', data: stages.map(([, s]) => inMinutes(s.p95Ms)) },
      ],
    },
    options: { responsive: true, scales: { y: { beginAtZero: true } } },
  };
}

/** The business figures of a period: GET /kpis, with charts. */
export function KpisPage() {
  const [period, setPeriod] = useState({ from: day(-29), to: day(0), channel: '' });
  const [report, setReport] = useState<Kpis>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const query = new URLSearchParams({ from: period.from, to: period.to });
    if (period.channel) query.set('channel', period.channel);
    api<Kpis>('GET', `/kpis?${query}`)
      .then((r) => {
        setReport(r);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message));
  }, [period]);
  const orders = useMemo(() => report && ordersChart(report), [report]);
  const stages = useMemo(() => report && stagesChart(report), [report]);
  const set = (name: keyof typeof period) => (e: Event) =>
    setPeriod({ ...period, [name]: (e.target as HTMLInputElement).value.trim() });

  return (
    <section class="kpis">
      <h2>KPIs</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <input type="date" aria-label="From" value={period.from} onChange={set('from')} />
        <input type="date" aria-label="To" value={period.to} onChange={set('to')} />
        <input
          aria-label="Channel"
          placeholder="All channels"
          value={period.channel}
          onChange={set('channel')}
        />
      </form>
      {error ? <p class="error">{error}</p> : null}
      {report ? (
        <>
          <div class="grid figures">
            {Object.entries(report.totals).map(([name, value]) => (
              <article key={name}>
                <small>{name}</small>
                <strong data-total={name}>{value}</strong>
              </article>
            ))}
          </div>
          <div class="grid figures">
            {Object.entries(report.rates).map(([name, rate]) => (
              <article key={name} title={`${rate.numerator} of ${rate.denominator}`}>
                <small>{name} rate</small>
                <strong data-rate={name}>{percent(rate)}</strong>
                <small>
                  {rate.numerator} / {rate.denominator}
                </small>
              </article>
            ))}
          </div>
          <div class="grid">
            <article>
              <h3>Orders per day and channel</h3>
              {orders ? <BarChart config={orders} label="Orders per day and channel" /> : null}
            </article>
            <article>
              <h3>Time from placement</h3>
              {stages ? <BarChart config={stages} label="Time from placement to each stage" /> : null}
              <table class="striped">
                <tbody>
                  {Object.entries(report.stages).map(([name, s]) => (
                    <tr key={name}>
                      <td>placed → {name}</td>
                      <td>{s.count} orders</td>
                      <td>p50 {minutes(s.p50Ms)}</td>
                      <td>p95 {minutes(s.p95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          </div>
          <div class="grid">
            <article>
              <h3>Revenue per channel</h3>
              <table class="striped">
                <tbody>
                  {report.revenue.byChannel.map((r) => (
                    <tr key={`${r.channel}-${r.currency}`}>
                      <td>{r.channel}</td>
                      <td class="number">{money(r.amount, r.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>Top products</h3>
              <table class="striped">
                <tbody>
                  {report.revenue.byProduct.slice(0, 10).map((r) => (
                    <tr key={`${r.sku}-${r.currency}`}>
                      <td>{r.sku}</td>
                      <td class="number">{r.units} units</td>
                      <td class="number">{money(r.amount, r.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
            <article>
              <h3>Returns per SKU</h3>
              {report.returnsBySku.length === 0 ? <p>No returns in the period.</p> : null}
              <table class="striped">
                <tbody>
                  {report.returnsBySku.map((r) => (
                    <tr key={r.sku}>
                      <td>{r.sku}</td>
                      <td class="number">
                        {r.returnedUnits} of {r.units} ({percent(r.rate)})
                      </td>
                      <td>
                        {Object.entries(r.reasons)
                          .map(([reason, n]) => `${reason} ${n}`)
                          .join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          </div>
        </>
      ) : (
        <p aria-busy="true">Loading figures...</p>
      )}
    </section>
  );
}
