import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type HeldLine,
  IdempotencyKeyUsed,
  type IdempotencyRecord,
  type InventoryLedger,
  NothingHeld,
  type Page,
  type ReservationResult,
  type RoutedShipment,
  type RouteRequest,
  type RouteResult,
  StaleStock,
} from '../../application/ports';
import { ConflictError } from '../../domain/errors';
import { type NetworkStock, type ReservationLine, type StockLevel, shortages } from '../../domain/inventory';
import { getInBatches } from './batch-get';
import {
  fromIdempotencyItem,
  idempotencyKey,
  LIST_SORT_KEY,
  OrderIndex,
  toIdempotencyItem,
} from './order-item';
import { queryPage } from './query-pages';
import {
  fromNetworkItem,
  fromStockItem,
  loadKey,
  networkKey,
  reservationKey,
  routedReservationKey,
  STOCK_ENTITY,
  stockKey,
  toStockItem,
} from './stock-item';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const CONFLICT_RETRIES = 25;
/** Looks a release takes at most: two steps (unroute, then drop), each possibly refused by a racing writer. */
const RELEASE_LOOKS = 10;
/** Items DynamoDB takes in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (attempt: number) => Math.random() * Math.min(200, 5 * 2 ** attempt);

function cancellation(error: unknown): CancellationReason[] | undefined {
  return error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;
}

const failed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';
const RESERVATION = 'RESERVATION';
const ROUTED_RESERVATION = 'ROUTED_RESERVATION';

const toLines = (value: unknown): ReservationLine[] =>
  (value as Array<Record<string, unknown>>).map((l) => ({
    sku: String(l.sku),
    quantity: Number(l.quantity),
  }));
const toHeader = (item: Record<string, unknown>) => ({
  orderId: String(item.orderId),
  lines: toLines(item.lines),
  routedAt: item.routedAt === undefined ? undefined : String(item.routedAt),
});
const toRouted = (item: Record<string, unknown>) => ({
  orderId: String(item.orderId),
  locationId: String(item.locationId),
  day: String(item.day),
  lines: toLines(item.lines),
  /** Set once the shipment left: the record stays, so a repeated ship() knows it already happened. */
  shippedAt: item.shippedAt === undefined ? undefined : String(item.shippedAt),
});
type Routed = ReturnType<typeof toRouted>;
const stillHeld = (r: Routed) => r.shippedAt === undefined;
const planOf = (routed: Routed[]): RoutedShipment[] =>
  routed.map((r) => ({ locationId: r.locationId, lines: r.lines }));

/** Takes (-1, only if the network has them available) or gives back (+1) units of a SKU. */
function networkUpdate(tableName: string, line: ReservationLine, sign: 1 | -1): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: networkKey(line.sku),
      UpdateExpression: 'ADD reserved :reserved, unreserved :q, available :q',
      ...(sign === -1 ? { ConditionExpression: 'available >= :need' } : {}),
      ExpressionAttributeValues: {
        ':q': sign * line.quantity,
        ':reserved': -sign * line.quantity,
        ...(sign === -1 ? { ':need': line.quantity } : {}),
      },
    },
  };
}

/** Holds (+1, only if the location has the ATS) or frees (-1) units at a location. */
function locationUpdate(
  tableName: string,
  row: ReservationLine & { locationId: string },
  sign: 1 | -1,
  at: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: stockKey(row.sku, row.locationId),
      UpdateExpression: 'ADD reserved :reserved, ats :ats, version :one SET updatedAt = :at',
      ConditionExpression: sign === 1 ? 'ats >= :need' : 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':reserved': sign * row.quantity,
        ':ats': -sign * row.quantity,
        ':one': 1,
        ':at': at,
        ...(sign === 1 ? { ':need': row.quantity } : {}),
      },
    },
  };
}

/** Counts an order routed to a location on a day, refusing past its capacity when there is one. */
function loadUpdate(
  tableName: string,
  day: string,
  locationId: string,
  delta: 1 | -1,
  capacity?: number,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: loadKey(day, locationId),
      UpdateExpression: 'SET locationId = :location ADD routed :delta',
      ...(capacity !== undefined
        ? { ConditionExpression: 'attribute_not_exists(routed) OR routed < :capacity' }
        : {}),
      ExpressionAttributeValues: {
        ':location': locationId,
        ':delta': delta,
        ...(capacity !== undefined ? { ':capacity': capacity } : {}),
      },
    },
  };
}

/**
 * Stock in the single table. The network row of each SKU keeps `unreserved` (onHand - reserved) and
 * `available` (unreserved - safetyStock) next to the sums, because a DynamoDB condition can compare an
 * attribute with a value but not compute one: `available >= :q` is what makes overselling
 * impossible, whatever the concurrency. Location rows keep `ats` for the same reason: routing moves a
 * reservation onto a location only if `ats >= :q` there.
 */
export class DynamoInventoryLedger implements InventoryLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async level(sku: string, locationId: string): Promise<StockLevel | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: stockKey(sku, locationId), ConsistentRead: true }),
    );
    return Item ? fromStockItem(Item) : undefined;
  }

  async levelsAt(places: ReadonlyArray<{ sku: string; locationId: string }>): Promise<StockLevel[]> {
    const items = await getInBatches(
      this.db,
      this.tableName,
      places.map(({ sku, locationId }) => stockKey(sku, locationId)),
    );
    return items.map(fromStockItem);
  }

  async levels(sku: string): Promise<StockLevel[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': networkKey(sku).pk, ':prefix': 'LOCATION#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(fromStockItem);
  }

  async network(skus: string[]): Promise<Map<string, NetworkStock>> {
    const items = await getInBatches(this.db, this.tableName, [...new Set(skus)].map(networkKey));
    return new Map(items.map((item) => [String(item.sku), fromNetworkItem(item)]));
  }

  async save(
    before: StockLevel | undefined,
    after: StockLevel,
    idempotency?: IdempotencyRecord,
  ): Promise<void> {
    const dOnHand = after.onHand - (before?.onHand ?? 0);
    const dSafety = after.safetyStock - (before?.safetyStock ?? 0);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: toStockItem(after),
          ...(before
            ? {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': before.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: networkKey(after.sku),
          UpdateExpression:
            'SET sku = :sku, entity = :entity ADD onHand :dOnHand, safetyStock :dSafety, unreserved :dOnHand, available :dAvailable, reserved :zero',
          // Taking units away must leave every network reservation covered.
          ...(dOnHand < 0 ? { ConditionExpression: 'unreserved >= :taken' } : {}),
          ExpressionAttributeValues: {
            ':sku': after.sku,
            ':entity': 'NETWORK_STOCK',
            ':dOnHand': dOnHand,
            ':dSafety': dSafety,
            ':dAvailable': dOnHand - dSafety,
            ':zero': 0,
            ...(dOnHand < 0 ? { ':taken': -dOnHand } : {}),
          },
        },
      },
    ];
    if (idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: toIdempotencyItem(idempotency),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellation(error);
      if (!reasons) throw error;
      if (reasons[2]?.Code === 'ConditionalCheckFailed' && idempotency) {
        const record = await this.recorded(idempotency.key);
        if (record) throw new IdempotencyKeyUsed(record);
      }
      if (reasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(
          `${after.sku}: taking ${-dOnHand} units away would leave orders' reservations without stock`,
          { sku: after.sku, locationId: after.locationId },
        );
      }
      throw new StaleStock(after.sku);
    }
  }

  async recorded(key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyKey(key), ConsistentRead: true }),
    );
    return Item ? fromIdempotencyItem(Item) : undefined;
  }

  async reserve(orderId: string, lines: ReservationLine[]): Promise<ReservationResult> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...reservationKey(orderId), entity: RESERVATION, orderId, lines },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...lines.map((line) => networkUpdate(this.tableName, line, -1)),
    ];
    const refused = await this.transact(items, async (reasons): Promise<ReservationResult | undefined> => {
      // The record is already there: this order reserved before (a retried task).
      if (failed(reasons[0])) return { reserved: true };
      const missing = shortages(lines, await this.network(lines.map((l) => l.sku)));
      // Stock freed between the failed attempt and the read: try again.
      return missing.length > 0 ? { reserved: false, shortages: missing } : undefined;
    });
    return refused ?? { reserved: true };
  }

  async route(orderId: string, request: RouteRequest): Promise<RouteResult> {
    const header = await this.header(orderId);
    if (!header) return { routed: false, conflict: 'the order holds no reservation' };
    // Routed by an earlier attempt: its plan stands, whatever this one would choose now.
    if (header.routedAt !== undefined) return { routed: true, shipments: await this.plan(orderId) };
    const day = request.at.slice(0, 10);
    const routed = new Map<string, number>();
    for (const line of request.shipments.flatMap((s) => s.lines))
      routed.set(line.sku, (routed.get(line.sku) ?? 0) + line.quantity);
    // A plan made before some lines were cancelled routes units the order no longer holds.
    const over = [...routed].find(
      ([sku, quantity]) => quantity > (header.lines.find((l) => l.sku === sku)?.quantity ?? 0),
    );
    if (over) return { routed: false, conflict: `the order no longer holds ${over[1]} x ${over[0]}` };
    const unrouted = header.lines.flatMap((line) => {
      const quantity = line.quantity - (routed.get(line.sku) ?? 0);
      return quantity > 0 ? [{ sku: line.sku, quantity }] : [];
    });
    const stockRows = request.shipments.flatMap((s) =>
      s.lines.map((line) => ({ ...line, locationId: s.locationId })),
    );
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: reservationKey(orderId),
          UpdateExpression: 'SET #lines = :lines, routedAt = :at',
          ExpressionAttributeNames: { '#lines': 'lines' },
          // As read: a cancellation that cut the reservation meanwhile makes this plan stale.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(routedAt) AND #lines = :held',
          ExpressionAttributeValues: {
            ':lines': [...routed].map(([sku, quantity]) => ({ sku, quantity })),
            ':at': request.at,
            ':held': header.lines,
          },
        },
      },
      ...request.shipments.map((s) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...routedReservationKey(orderId, s.locationId),
            entity: ROUTED_RESERVATION,
            orderId,
            locationId: s.locationId,
            day,
            lines: s.lines,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...stockRows.map((row) => locationUpdate(this.tableName, row, 1, request.at)),
      ...unrouted.map((line) => networkUpdate(this.tableName, line, 1)),
      ...request.shipments.map((s) =>
        loadUpdate(this.tableName, day, s.locationId, 1, request.dailyCapacity[s.locationId]),
      ),
    ];
    const firstStockRow = 1 + request.shipments.length;
    const firstLoad = firstStockRow + stockRows.length + unrouted.length;
    const result = await this.transact(items, async (reasons): Promise<RouteResult> => {
      if (failed(reasons[0])) {
        const now = await this.header(orderId);
        if (now?.routedAt !== undefined) return { routed: true, shipments: await this.plan(orderId) };
        return {
          routed: false,
          conflict: now ? 'its reservation changed meanwhile' : 'the order holds no reservation',
        };
      }
      const row = stockRows.find((_, i) => failed(reasons[firstStockRow + i]));
      if (row)
        return { routed: false, conflict: `another order took the stock of ${row.sku} at ${row.locationId}` };
      const full = request.shipments.find((_, i) => failed(reasons[firstLoad + i]));
      return { routed: false, conflict: `${full?.locationId} reached its daily capacity` };
    });
    return result ?? { routed: true, shipments: request.shipments };
  }

  async routedOn(day: string): Promise<Map<string, number>> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': loadKey(day, '').pk },
        ConsistentRead: true,
      }),
    );
    return new Map(Items.map((item) => [String(item.locationId), Number(item.routed ?? 0)]));
  }

  async reservationsOf(orderId: string): Promise<HeldLine[]> {
    const { header, routed } = await this.held(orderId);
    if (!header) return [];
    if (header.routedAt === undefined) return header.lines;
    return routed
      .filter(stillHeld)
      .flatMap((r) => r.lines.map((line) => ({ ...line, locationId: r.locationId })));
  }

  /**
   * Undoes routing (what is still held at locations back to network level), then the network
   * reservation; what already shipped stays shipped. Each step is one transaction; a step refused
   * by a racing writer is looked at again, a bounded number of times.
   */
  async amend(orderId: string, lines: ReservationLine[]): Promise<ReservationResult> {
    for (let look = 0; look < RELEASE_LOOKS; look++) {
      const { header, routed } = await this.held(orderId);
      if (!header) return { reserved: true };
      const held = routed.filter(stillHeld);
      // What the network counts as the order's now: its routed records' units, or its header's.
      const before = new Map<string, number>();
      for (const line of header.routedAt === undefined ? header.lines : held.flatMap((r) => r.lines))
        before.set(line.sku, (before.get(line.sku) ?? 0) + line.quantity);
      const after = new Map(lines.map((l) => [l.sku, l.quantity]));
      const deltas = [...new Set([...before.keys(), ...after.keys()])].flatMap((sku) => {
        const delta = (after.get(sku) ?? 0) - (before.get(sku) ?? 0);
        return delta === 0 ? [] : [{ sku, delta }];
      });
      const at = new Date().toISOString();
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: reservationKey(orderId),
            UpdateExpression: 'SET #lines = :lines REMOVE routedAt',
            // As read: a racing cancellation or routing makes this look again.
            ConditionExpression: 'attribute_exists(pk) AND #lines = :held',
            ExpressionAttributeNames: { '#lines': 'lines' },
            ExpressionAttributeValues: { ':lines': lines, ':held': header.lines },
          },
        },
        ...(header.routedAt === undefined ? [] : this.offLocationItems(orderId, held, at)),
        ...deltas.map(({ sku, delta }) =>
          networkUpdate(this.tableName, { sku, quantity: Math.abs(delta) }, delta > 0 ? -1 : 1),
        ),
      ];
      if (items.length > MAX_TRANSACTION_ITEMS)
        throw new ConflictError(
          `The edit would change ${items.length} stock records at once; DynamoDB takes ${MAX_TRANSACTION_ITEMS} a transaction`,
          { orderId },
        );
      const refused = await this.transact(items, async (reasons) => {
        // The records as read changed (a racing cancellation, routing or shipment): look again.
        if (failed(reasons[0])) return 'look again' as const;
        const wanted = deltas.filter((d) => d.delta > 0).map((d) => ({ sku: d.sku, quantity: d.delta }));
        const missing = shortages(wanted, await this.network(wanted.map((l) => l.sku)));
        return missing.length > 0
          ? { reserved: false as const, shortages: missing }
          : ('look again' as const);
      });
      if (refused === undefined) return { reserved: true };
      if (refused !== 'look again') return refused;
    }
    throw new Error(
      `The reservation of order ${orderId} kept changing: not amended after ${RELEASE_LOOKS} looks`,
    );
  }

  async release(orderId: string): Promise<void> {
    for (let look = 0; look < RELEASE_LOOKS; look++) {
      const { header, routed } = await this.held(orderId);
      if (!header) return;
      const held = routed.filter(stillHeld);
      const items = held.length > 0 ? this.unrouteItems(orderId, held) : this.dropItems(orderId, header);
      await this.transact(items, async () => null);
    }
    throw new Error(
      `The reservation of order ${orderId} kept changing: not released after ${RELEASE_LOOKS} looks`,
    );
  }

  /**
   * Cuts what the order holds down to `keep` (cancelled units go back on sale): the network
   * reservation before routing; after it, the record at `locationId`, or every unshipped record
   * in turn when none is named. One transaction per look, each conditional on the records being
   * as read; a look refused by a racing writer looks again.
   */
  async holdAtMost(orderId: string, keep: ReservationLine[], locationId?: string): Promise<void> {
    for (let look = 0; look < RELEASE_LOOKS; look++) {
      const { header, routed } = await this.held(orderId);
      if (!header) return;
      const items = this.trimItems(orderId, header, routed, keep, locationId);
      if (items.length === 0) return;
      await this.transact(items, async () => null);
    }
    throw new Error(
      `The reservation of order ${orderId} kept changing: not trimmed after ${RELEASE_LOOKS} looks`,
    );
  }

  private trimItems(
    orderId: string,
    header: ReturnType<typeof toHeader>,
    routed: Routed[],
    keep: ReservationLine[],
    locationId: string | undefined,
  ): TransactItem[] {
    const budget = new Map(keep.map((l) => [l.sku, l.quantity]));
    const cut = (lines: ReservationLine[]) => {
      const kept = lines.map((l) => {
        const quantity = Math.min(l.quantity, budget.get(l.sku) ?? 0);
        budget.set(l.sku, (budget.get(l.sku) ?? 0) - quantity);
        return { sku: l.sku, quantity };
      });
      const freed = lines.flatMap((l, i) => {
        const quantity = l.quantity - (kept[i]?.quantity ?? 0);
        return quantity > 0 ? [{ sku: l.sku, quantity }] : [];
      });
      return { kept: kept.filter((l) => l.quantity > 0), freed };
    };
    // A record's lines, written only over the lines read: emptied, the record goes unless `keepEmpty`.
    const rewrite = (
      Key: Record<string, string>,
      old: ReservationLine[],
      kept: ReservationLine[],
      { unshipped = false, keepEmpty = false } = {},
    ): TransactItem => {
      const guard = {
        TableName: this.tableName,
        Key,
        ConditionExpression: `attribute_exists(pk) AND #lines = :old${unshipped ? ' AND attribute_not_exists(shippedAt)' : ''}`,
        ExpressionAttributeNames: { '#lines': 'lines' },
      };
      return kept.length === 0 && !keepEmpty
        ? { Delete: { ...guard, ExpressionAttributeValues: { ':old': old } } }
        : {
            Update: {
              ...guard,
              UpdateExpression: 'SET #lines = :lines',
              ExpressionAttributeValues: { ':lines': kept, ':old': old },
            },
          };
    };
    if (header.routedAt === undefined) {
      if (locationId !== undefined) return [];
      const { kept, freed } = cut(header.lines);
      if (freed.length === 0) return [];
      return [
        rewrite(reservationKey(orderId), header.lines, kept),
        ...freed.map((line) => networkUpdate(this.tableName, line, 1)),
      ];
    }
    const at = new Date().toISOString();
    const records = routed.filter(
      (r) => stillHeld(r) && (locationId === undefined || r.locationId === locationId),
    );
    const items: TransactItem[] = [];
    const freedTotal = new Map<string, number>();
    for (const record of records) {
      const { kept, freed } = cut(record.lines);
      if (freed.length === 0) continue;
      items.push(
        rewrite(routedReservationKey(orderId, record.locationId), record.lines, kept, { unshipped: true }),
        ...freed.map((line) =>
          locationUpdate(this.tableName, { ...line, locationId: record.locationId }, -1, at),
        ),
        ...(kept.length === 0 ? [loadUpdate(this.tableName, record.day, record.locationId, -1)] : []),
      );
      for (const line of freed) freedTotal.set(line.sku, (freedTotal.get(line.sku) ?? 0) + line.quantity);
    }
    if (items.length === 0) return [];
    // The routed header keeps the order's routed totals (the record stays, even emptied, until released).
    const headerLines = header.lines
      .map((l) => ({ sku: l.sku, quantity: l.quantity - (freedTotal.get(l.sku) ?? 0) }))
      .filter((l) => l.quantity > 0);
    return [
      rewrite(reservationKey(orderId), header.lines, headerLines, { keepEmpty: true }),
      ...items,
      ...[...freedTotal].map(([sku, quantity]) => networkUpdate(this.tableName, { sku, quantity }, 1)),
    ];
  }

  /** Location reservations back to network level: the record then holds exactly what was still routed. */
  private unrouteItems(orderId: string, held: Routed[]): TransactItem[] {
    const lines = new Map<string, number>();
    for (const line of held.flatMap((r) => r.lines))
      lines.set(line.sku, (lines.get(line.sku) ?? 0) + line.quantity);
    const at = new Date().toISOString();
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: reservationKey(orderId),
          UpdateExpression: 'SET #lines = :lines REMOVE routedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#lines': 'lines' },
          ExpressionAttributeValues: {
            ':lines': [...lines].map(([sku, quantity]) => ({ sku, quantity })),
          },
        },
      },
      ...this.offLocationItems(orderId, held, at),
    ];
  }

  /** The order's unshipped location records go, their units freed at the locations and their day's count. */
  private offLocationItems(orderId: string, held: Routed[], at: string): TransactItem[] {
    return held.flatMap((r) => [
      {
        Delete: {
          TableName: this.tableName,
          Key: routedReservationKey(orderId, r.locationId),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(shippedAt)',
        },
      },
      ...r.lines.map((line) => locationUpdate(this.tableName, { ...line, locationId: r.locationId }, -1, at)),
      loadUpdate(this.tableName, r.day, r.locationId, -1),
    ]);
  }

  /** The record goes; unless routed (every shipment gone), its units go back on sale. */
  private dropItems(orderId: string, header: ReturnType<typeof toHeader>): TransactItem[] {
    const shipped = header.routedAt !== undefined;
    return [
      {
        Delete: {
          TableName: this.tableName,
          Key: reservationKey(orderId),
          ConditionExpression: shipped
            ? 'attribute_exists(routedAt)'
            : 'attribute_exists(pk) AND attribute_not_exists(routedAt)',
        },
      },
      ...(shipped ? [] : header.lines.map((line) => networkUpdate(this.tableName, line, 1))),
    ];
  }

  async moveRouted(
    orderId: string,
    move: { from: string; to: string; at: string; dailyCapacity?: number },
  ): Promise<RouteResult> {
    const { from, to, at } = move;
    const [source, target] = await Promise.all([this.heldAt(orderId, from), this.heldAt(orderId, to)]);
    // Moved already (a retried task): the units are at the new location.
    if (!source || !stillHeld(source))
      return target
        ? { routed: true, shipments: planOf([target]) }
        : { routed: false, conflict: `nothing is held at ${from}` };
    const day = at.slice(0, 10);
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: routedReservationKey(orderId, from),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(shippedAt)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...routedReservationKey(orderId, to),
            entity: ROUTED_RESERVATION,
            orderId,
            locationId: to,
            day,
            lines: source.lines,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...source.lines.map((line) => locationUpdate(this.tableName, { ...line, locationId: from }, -1, at)),
      ...source.lines.map((line) => locationUpdate(this.tableName, { ...line, locationId: to }, 1, at)),
      // The day's count moves with the units: the old location's day frees a slot, the new one's takes it.
      loadUpdate(this.tableName, source.day, from, -1),
      loadUpdate(this.tableName, day, to, 1, move.dailyCapacity),
    ];
    const firstTarget = 2 + source.lines.length;
    const targetLoad = firstTarget + source.lines.length + 1;
    const refused = await this.transact(items, async (reasons): Promise<RouteResult> => {
      const row = source.lines.find((_, i) => failed(reasons[firstTarget + i]));
      if (row) return { routed: false, conflict: `another order took the stock of ${row.sku} at ${to}` };
      if (failed(reasons[targetLoad])) return { routed: false, conflict: `${to} reached its daily capacity` };
      return { routed: false, conflict: `the order's units at ${from} changed meanwhile` };
    });
    return refused ?? { routed: true, shipments: [{ locationId: to, lines: source.lines }] };
  }

  async ship(orderId: string, locationId: string, at: string): Promise<boolean> {
    const held = await this.heldAt(orderId, locationId);
    if (!held) throw new NothingHeld(orderId, locationId);
    if (!stillHeld(held)) return false;
    const { lines } = held;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: routedReservationKey(orderId, locationId),
          UpdateExpression: 'SET shippedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(shippedAt)',
          ExpressionAttributeValues: { ':at': at },
        },
      },
      ...lines.flatMap((line): TransactItem[] => [
        {
          Update: {
            TableName: this.tableName,
            Key: stockKey(line.sku, locationId),
            UpdateExpression: 'ADD onHand :minus, reserved :minus, version :one SET updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minus': -line.quantity, ':one': 1, ':at': at },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: networkKey(line.sku),
            UpdateExpression: 'ADD onHand :minus, reserved :minus',
            ExpressionAttributeValues: { ':minus': -line.quantity },
          },
        },
      ]),
    ];
    const refused = await this.transact(items, async (reasons) => {
      if (!failed(reasons[0])) return undefined;
      // Shipped meanwhile by a retried task (nothing to do twice), or released meanwhile.
      const now = await this.heldAt(orderId, locationId);
      if (!now) throw new NothingHeld(orderId, locationId);
      return false;
    });
    return refused ?? true;
  }

  /** Runs a transaction, retrying write conflicts; `onRefused` reads a condition failure (undefined: retry). */
  private async transact<T>(
    items: TransactItem[],
    onRefused: (reasons: CancellationReason[]) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        const reasons = cancellation(error);
        if (!reasons) throw error;
        if (reasons.some(failed)) {
          const outcome = await onRefused(reasons);
          if (outcome !== undefined) return outcome;
        }
        if (attempt >= CONFLICT_RETRIES) throw error;
        await sleep(jitter(attempt));
      }
    }
  }

  /** What the order holds at one location, if it was routed there. */
  private async heldAt(orderId: string, locationId: string) {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: routedReservationKey(orderId, locationId),
        ConsistentRead: true,
      }),
    );
    return Item ? toRouted(Item) : undefined;
  }

  /** Every location the order was routed to, shipped or not. */
  private async plan(orderId: string): Promise<RoutedShipment[]> {
    return planOf((await this.held(orderId)).routed);
  }

  private async header(orderId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: reservationKey(orderId), ConsistentRead: true }),
    );
    return Item ? toHeader(Item) : undefined;
  }

  private async held(orderId: string) {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': reservationKey(orderId).pk,
          ':prefix': reservationKey(orderId).sk,
        },
        ConsistentRead: true,
      }),
    );
    const headerItem = Items.find((item) => item.entity === RESERVATION);
    return {
      header: headerItem ? toHeader(headerItem) : undefined,
      routed: Items.filter((item) => item.entity === ROUTED_RESERVATION).map(toRouted),
    };
  }

  async skus(page: { limit: number; after?: string }): Promise<{ skus: string[]; next?: string }> {
    // Stock rows are listed by `sku#location`: every row of a SKU sorts before the next SKU's,
    // so "after this SKU" is a key condition, and a page never splits one SKU's rows.
    const skus: string[] = [];
    let after = page.after === undefined ? undefined : `${page.after}#\uffff`;
    for (;;) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: OrderIndex.BY_CREATED.name,
          KeyConditionExpression: `#entity = :entity${after === undefined ? '' : ' AND #sort > :after'}`,
          ExpressionAttributeNames: {
            '#entity': OrderIndex.BY_CREATED.partitionKey,
            ...(after === undefined ? {} : { '#sort': LIST_SORT_KEY }),
          },
          ExpressionAttributeValues: {
            ':entity': STOCK_ENTITY,
            ...(after === undefined ? {} : { ':after': after }),
          },
          ProjectionExpression: 'sku',
          Limit: 100,
        }),
      );
      for (const item of Items) {
        const sku = String(item.sku);
        if (skus.at(-1) === sku) continue;
        if (skus.length === page.limit) return { skus, next: skus.at(-1) as string };
        skus.push(sku);
      }
      if (!LastEvaluatedKey) return { skus };
      after = `${String(Items.at(-1)?.sku)}#\uffff`;
    }
  }

  async list(
    filter: { locationId?: string; lowStock?: boolean },
    page: { limit: number; cursor?: string },
  ): Promise<Page<StockLevel>> {
    const conditions: string[] = [];
    const values: Record<string, unknown> = { ':entity': STOCK_ENTITY };
    if (filter.locationId !== undefined) {
      conditions.push('locationId = :locationId');
      values[':locationId'] = filter.locationId;
    }
    if (filter.lowStock) conditions.push('ats < lowStockThreshold');
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OrderIndex.BY_CREATED.name,
        KeyConditionExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': OrderIndex.BY_CREATED.partitionKey },
        ExpressionAttributeValues: values,
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
      },
      OrderIndex.BY_CREATED.partitionKey,
      { ...page, filter },
      fromStockItem,
    );
  }

  async snapshot() {
    const levels: StockLevel[] = [];
    const network: NetworkStock[] = [];
    const reservations: Array<HeldLine & { orderId: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity IN (:stock, :network, :reservation, :routed)',
          ExpressionAttributeValues: {
            ':stock': STOCK_ENTITY,
            ':network': 'NETWORK_STOCK',
            ':reservation': RESERVATION,
            ':routed': ROUTED_RESERVATION,
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity === 'STOCK') levels.push(fromStockItem(item));
        else if (item.entity === 'NETWORK_STOCK') network.push(fromNetworkItem(item));
        else if (item.entity === ROUTED_RESERVATION) {
          const r = toRouted(item);
          if (!stillHeld(r)) continue;
          for (const line of r.lines)
            reservations.push({ orderId: r.orderId, locationId: r.locationId, ...line });
        } else {
          const header = toHeader(item);
          // A routed order's units are counted by its location records.
          if (header.routedAt === undefined)
            for (const line of header.lines) reservations.push({ orderId: header.orderId, ...line });
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { levels, network, reservations };
  }
}
