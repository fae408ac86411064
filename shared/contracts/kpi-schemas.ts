import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { ChannelSlug } from './order-schemas';

const Day = z.iso.date().describe('A day, YYYY-MM-DD (UTC)');
const DAY_MS = 86_400_000;
/** A year of days at most: two range reads either way, but the answer stays small. */
export const MAX_KPI_DAYS = 366;

/** Query of GET /kpis: a period of days (the last 30 by default) and optionally one channel. */
export const KpiQuery = z.strictObject({
  from: Day.optional().describe('First day (UTC), default 29 days before `to`'),
  to: Day.optional().describe('Last day (UTC), default today'),
  channel: ChannelSlug.optional(),
});

/** The period a query names, defaults filled in; a reversed or too long one is refused naming `from`. */
export function kpiPeriod(query: z.infer<typeof KpiQuery>, today: string) {
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const refuse = (message: string) => {
    throw new ValidationError(`Invalid period: from ${message}`, [
      { pointer: '#/query/from', detail: message },
    ]);
  };
  if (from > to) refuse('must not be after to');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_KPI_DAYS)
    refuse(`must be less than ${MAX_KPI_DAYS} days before to`);
  return { from, to, ...(query.channel ? { channel: query.channel } : {}) };
}
