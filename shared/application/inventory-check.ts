import { checkInvariants, type Drift } from '../domain/inventory';
import type { Clock, InventoryLedger } from './ports';

export interface InventoryCheckReport {
  checkedAt: string;
  ok: boolean;
  counted: { stockRows: number; skus: number; reservations: number };
  drift: Drift[];
}

/** Reads the whole stock book and reports every broken invariant (an ops tool: it scans). */
export async function checkInventory(deps: {
  ledger: InventoryLedger;
  clock: Clock;
}): Promise<InventoryCheckReport> {
  const { levels, network, reservations } = await deps.ledger.snapshot();
  const drift = checkInvariants(levels, network, reservations);
  return {
    checkedAt: deps.clock.now(),
    ok: drift.length === 0,
    counted: { stockRows: levels.length, skus: network.length, reservations: reservations.length },
    drift,
  };
}
