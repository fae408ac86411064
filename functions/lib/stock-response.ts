import { availableToSell, type StockLevel } from '../../shared/domain/inventory';
import { json } from './http-route';

/** A stock row as the API shows it, with its ATS; a replay says so. */
export function stockResponse(status: number, result: { level: StockLevel; replayed: boolean }) {
  return json(
    status,
    { ...result.level, ats: availableToSell(result.level) },
    result.replayed ? { 'idempotent-replayed': 'true' } : {},
  );
}
