import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import {
  adjustStock,
  availableToSell,
  countStock,
  receiveReturned,
  type StockCount,
  type StockLevel,
} from '../domain/inventory';
import { stockEvents } from '../domain/inventory-events';
import { getLocation } from './locations';
import {
  type Clock,
  type EventPublisher,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type InventoryLedger,
  type LocationRepository,
  StaleStock,
} from './ports';
import { requestHash } from './request-hash';

export interface StockDeps {
  ledger: InventoryLedger;
  locations: LocationRepository;
  events: EventPublisher;
  clock: Clock;
}

interface StockChange {
  sku: string;
  locationId: string;
  idempotencyKey: string;
  /** Who sent it: idempotency keys are the caller's own, so two callers never share one. */
  caller: string;
  correlationId: string;
}

const ATTEMPTS = 8;
/** Stock clients (scanners, WMS connectors) retry within minutes; a day is ample and keeps the table small. */
export const STOCK_KEY_RETAIN_SECONDS = 24 * 60 * 60;

/** What a stock change's idempotency record keeps: enough to answer a replay and publish its events again. */
interface RecordedChange {
  before?: StockLevel;
  after: StockLevel;
}

/**
 * Applies one change to a location's stock exactly once per Idempotency-Key: read, decide with the
 * domain, write conditionally (retrying when another writer got there first), then publish. A
 * replay answers what the first request did and publishes its events again (their ids are stable,
 * so consumers see each once): a publish that failed after the write is made good by the client's
 * retry. The key is looked up before deciding, since the first change may have made the same
 * request undecidable now (taking away units the first already took).
 */
async function changeStock(
  deps: StockDeps,
  change: StockChange,
  operation: string,
  body: unknown,
  reason: string,
  decide: (current: StockLevel | undefined, at: string) => StockLevel,
): Promise<{ level: StockLevel; replayed: boolean }> {
  await getLocation(deps, change.locationId);
  const key = `${operation}:${change.caller}:${change.idempotencyKey}`;
  const hash = requestHash({ sku: change.sku, locationId: change.locationId, body });
  const replay = async (record: IdempotencyRecord) => {
    if (record.requestHash !== hash) {
      throw new UnprocessableError('This Idempotency-Key was already used with a different request', {
        idempotencyKey: change.idempotencyKey,
      });
    }
    const { before, after } = record.result as RecordedChange;
    await deps.events.publish(stockEvents(before, after, reason, change.correlationId));
    return { level: after, replayed: true };
  };
  const earlier = await deps.ledger.recorded(key);
  if (earlier) return replay(earlier);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await deps.ledger.level(change.sku, change.locationId);
    const at = deps.clock.now();
    let after: StockLevel;
    try {
      after = decide(before, at);
    } catch (error) {
      // The same request, sent twice at once: the other one's write is why this one cannot decide.
      const raced = await deps.ledger.recorded(key);
      if (raced) return replay(raced);
      throw error;
    }
    const recorded: RecordedChange = { ...(before ? { before } : {}), after };
    try {
      await deps.ledger.save(before, after, {
        key,
        requestHash: hash,
        result: recorded,
        createdAt: at,
        retainSeconds: STOCK_KEY_RETAIN_SECONDS,
      });
    } catch (error) {
      if (error instanceof StaleStock) continue;
      if (error instanceof IdempotencyKeyUsed) return replay(error.record);
      throw error;
    }
    await deps.events.publish(stockEvents(before, after, reason, change.correlationId));
    return { level: after, replayed: false };
  }
  throw new ConflictError(`Stock of ${change.sku} at ${change.locationId} is changing too fast; retry`, {
    sku: change.sku,
    locationId: change.locationId,
  });
}

/** A cycle count at a location: sets onHand and, if given, the thresholds. */
export function setStock(deps: StockDeps, change: StockChange, count: StockCount) {
  return changeStock(
    deps,
    change,
    `PUT stock ${change.sku}@${change.locationId}`,
    count,
    'count',
    (current, at) => countStock(current, { sku: change.sku, locationId: change.locationId }, count, at),
  );
}

/** Receives or removes units at a location (delta > 0 received, < 0 damaged, lost...). */
export function adjustStockAt(
  deps: StockDeps,
  change: StockChange,
  adjustment: { delta: number; reason: string },
) {
  return changeStock(
    deps,
    change,
    `POST adjustment ${change.sku}@${change.locationId}`,
    adjustment,
    adjustment.reason,
    (current, at) =>
      adjustStock(
        current ??
          countStock(undefined, { sku: change.sku, locationId: change.locationId }, { onHand: 0 }, at),
        adjustment.delta,
        at,
      ),
  );
}

/**
 * Returned units received at a location: resellable back on hand, damaged into quarantine, once
 * per return line (the key is the return's, so a retried step changes nothing more).
 */
export function returnToStock(
  deps: StockDeps,
  change: Omit<StockChange, 'idempotencyKey' | 'caller'> & { returnId: string; lineNumber: number },
  units: { resellable: number; damaged: number },
) {
  return changeStock(
    deps,
    { ...change, idempotencyKey: `${change.returnId}-${change.lineNumber}`, caller: 'oms' },
    `RETURN ${change.sku}@${change.locationId}`,
    units,
    'return',
    (current, at) =>
      receiveReturned(
        current ??
          countStock(undefined, { sku: change.sku, locationId: change.locationId }, { onHand: 0 }, at),
        units,
        at,
      ),
  );
}

export interface InventoryView {
  sku: string;
  network: { onHand: number; reserved: number; safetyStock: number; ats: number };
  locations: Array<Omit<StockLevel, 'sku'> & { ats: number }>;
}

/** A SKU's network totals and its rows per location; NotFoundError when no location stocks it. */
export async function getInventory(deps: { ledger: InventoryLedger }, sku: string): Promise<InventoryView> {
  const [levels, network] = await Promise.all([deps.ledger.levels(sku), deps.ledger.network([sku])]);
  const totals = network.get(sku);
  if (levels.length === 0 || !totals) throw new NotFoundError(`No stock of ${sku} is recorded`, { sku });
  return {
    sku,
    network: {
      onHand: totals.onHand,
      reserved: totals.reserved,
      safetyStock: totals.safetyStock,
      ats: availableToSell(totals),
    },
    locations: levels.map(({ sku: _sku, ...level }) => ({ ...level, ats: availableToSell(level) })),
  };
}
