import { useEffect, useState } from 'preact/hooks';
import type { CostReport } from '../shared/domain/cost-to-serve';

type Report = CostReport & { measuredAt: string; scenario: string; targetUsdPer1000: number };

const usd = (n: number) => `$${n.toFixed(n < 0.01 ? 5 : 4)}`;
const amount = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

/**
 * The cost to serve of this release: `npm run cost` prices what the bench's metered orders used
 * and builds the report into the console (cost-report.json beside the page).
 */
export function CostPage() {
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch('/console/cost-report.json')
      .then(async (r) => {
        if (!r.ok)
          throw new Error(`No cost report in this build (${r.status}): run npm run bench, then npm run cost`);
        setReport((await r.json()) as Report);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <p class="error">{error}</p>;
  if (!report) return <p aria-busy="true">Loading the cost report...</p>;
  const met = report.totalUsd <= report.targetUsdPer1000;
  return (
    <section class="cost">
      <h2>Cost to serve</h2>
      <p>
        Per 1,000 orders, at AWS list prices {report.prices.version} ({report.prices.region}, checked{' '}
        {report.prices.checkedOn}). Measured {report.measuredAt} over {report.scenario}.
      </p>
      <div class="grid figures">
        <article>
          <small>total per 1,000 orders</small>
          <strong data-cost="total">{usd(report.totalUsd)}</strong>
        </article>
        <article>
          <small>target</small>
          <strong>
            {usd(report.targetUsdPer1000)} {met ? '(met)' : '(not met)'}
          </strong>
        </article>
      </div>
      <table class="striped cost-lines">
        <thead>
          <tr>
            <th>Service</th>
            <th class="number">Quantity</th>
            <th>Unit</th>
            <th class="number">USD</th>
          </tr>
        </thead>
        <tbody>
          {report.lines.map((line) => (
            <tr key={`${line.item}-${line.unit}`}>
              <td>{line.item}</td>
              <td class="number">{amount(line.quantity)}</td>
              <td>{line.unit}</td>
              <td class="number">{usd(line.usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Lambda by function</h3>
      <table class="striped">
        <tbody>
          {report.byFunction.map((fn) => (
            <tr key={fn.name}>
              <td>{fn.name}</td>
              <td class="number">{amount(fn.invocations)} invocations</td>
              <td class="number">{amount(fn.gbSeconds)} GB-s</td>
              <td class="number">{usd(fn.usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <small>Not counted: {report.notCounted.join('; ')}.</small>
      </p>
    </section>
  );
}
