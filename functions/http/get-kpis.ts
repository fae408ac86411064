import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { readKpis } from '../../shared/application/kpis';
import type { KpiStore } from '../../shared/application/ports';
import { KpiQuery, kpiPeriod } from '../../shared/contracts/kpi-schemas';
import { httpRoute, json } from '../lib/http-route';

/** GET /kpis: the business figures of a period, summed from the KPI projection's daily counters. */
export const createHandler = (
  deps: { kpis: KpiStore },
  today = () => new Date().toISOString().slice(0, 10),
) =>
  httpRoute({ query: KpiQuery }, async ({ query }) =>
    json(200, await readKpis(deps, kpiPeriod(query, today()))),
  );

export const handler = createHandler({ kpis: awsAdapters.kpis() });
