import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { DynamoOrderRepository } from '../../shared/adapters/aws/dynamo-order-repository';
import { placeOrder } from '../../shared/application/place-order';
import type { LocationRepository } from '../../shared/application/ports';
import { adjustStockAt, type StockDeps, setStock } from '../../shared/application/stock';
import type { OrderDraft } from '../../shared/domain/order';
import type { DomainEvent } from '../../shared/domain/order-events';
import { fixedClock, RecordingWorkflow, sequentialIds } from '../support/fakes';
import { useOmsTable } from '../support/oms-table';
import { orderBody } from '../support/orders';

const table = useOmsTable();
let ledger: DynamoInventoryLedger;
let db: DynamoDBDocumentClient;

beforeAll(() => {
  db = table.db;
  ledger = new DynamoInventoryLedger(db, 'Oms');
});

/** A bus that fails the first `failures` publishes, as a throttled or unreachable EventBridge would. */
class FlakyBus {
  readonly published: DomainEvent[] = [];
  constructor(private failures = 0) {}
  async publish(events: DomainEvent[]): Promise<void> {
    if (this.failures-- > 0) throw new Error('EventBridge is unreachable');
    this.published.push(...events);
  }
}

function deps(bus: FlakyBus): StockDeps {
  const locations = { get: async (id: string) => ({ id }) } as unknown as LocationRepository;
  return { ledger, locations, events: bus, clock: fixedClock() };
}

const change = (sku: string, idempotencyKey: string) => ({
  sku,
  locationId: 'sp-1',
  idempotencyKey,
  caller: 'ops-client',
  correlationId: `corr-${idempotencyKey}`,
});

describe('stock changes retried by the client', () => {
  it('publish the events of a change whose first publish failed, with the same event ids', async () => {
    const bus = new FlakyBus(1);
    await expect(setStock(deps(bus), change('REPUB', 'count-1'), { onHand: 5 })).rejects.toThrow(
      'EventBridge is unreachable',
    );
    expect((await ledger.level('REPUB', 'sp-1'))?.onHand).toBe(5);
    const retried = await setStock(deps(bus), change('REPUB', 'count-1'), { onHand: 5 });
    expect(retried).toMatchObject({ replayed: true, level: { onHand: 5, version: 1 } });
    expect(bus.published.map((e) => e.detailType)).toContain('StockChanged');
    const ids = bus.published.map((e) => (e.detail as { metadata: { eventId: string } }).metadata.eventId);
    expect(ids).toContain('REPUB@sp-1-1-changed');
    expect((await ledger.level('REPUB', 'sp-1'))?.version).toBe(1);
  });

  it('answer a replay of an adjustment that took the last units with the first answer, not a 409', async () => {
    const bus = new FlakyBus();
    await setStock(deps(bus), change('LASTU', 'count-2'), { onHand: 3 });
    const first = await adjustStockAt(deps(bus), change('LASTU', 'adjust-2'), {
      delta: -3,
      reason: 'damaged',
    });
    // Deciding again would take 3 from 0: the replay must not decide again.
    const replay = await adjustStockAt(deps(bus), change('LASTU', 'adjust-2'), {
      delta: -3,
      reason: 'damaged',
    });
    expect(replay).toEqual({ level: first.level, replayed: true });
    expect((await ledger.level('LASTU', 'sp-1'))?.onHand).toBe(0);
  });

  it('apply the same request sent twice at once exactly once, and answer both alike', async () => {
    const bus = new FlakyBus();
    await setStock(deps(bus), change('TWICE', 'count-3'), { onHand: 2 });
    const both = await Promise.all(
      [1, 2].map(() => adjustStockAt(deps(bus), change('TWICE', 'adjust-3'), { delta: -2, reason: 'lost' })),
    );
    expect(both.map((r) => r.level.onHand)).toEqual([0, 0]);
    expect(both.filter((r) => r.replayed)).toHaveLength(1);
    expect((await ledger.level('TWICE', 'sp-1'))?.onHand).toBe(0);
  });

  it('refuse the same key with a different body, and change nothing', async () => {
    const bus = new FlakyBus();
    await setStock(deps(bus), change('OTHER', 'count-4'), { onHand: 4 });
    await expect(setStock(deps(bus), change('OTHER', 'count-4'), { onHand: 9 })).rejects.toMatchObject({
      name: 'UnprocessableError',
    });
    expect((await ledger.level('OTHER', 'sp-1'))?.onHand).toBe(4);
  });
});

/** DynamoDB's TTL, run now as if `seconds` had passed: every item whose expiresAt is behind is gone. */
async function expireAfter(seconds: number) {
  const now = Math.floor(Date.now() / 1000) + seconds;
  const { Items = [] } = await db.send(new ScanCommand({ TableName: 'Oms' }));
  for (const item of Items)
    if (typeof item.expiresAt === 'number' && item.expiresAt < now)
      await db.send(new DeleteCommand({ TableName: 'Oms', Key: { pk: item.pk, sk: item.sk } }));
}

describe('an order placed again with the same Idempotency-Key', () => {
  it('is the same order days later, without an external order id, and its key keeps no customer data', async () => {
    const orders = new DynamoOrderRepository(db, 'Oms');
    const deps = {
      orders,
      workflow: new RecordingWorkflow(),
      clock: { now: () => new Date().toISOString() },
      ids: sequentialIds('01JRETRY000000000000000'),
    };
    const draft = orderBody() as unknown as OrderDraft;
    const input = { idempotencyKey: 'market-retry-1', caller: 'channel-marketplace', draft };
    const first = await placeOrder(deps, input);
    await expireAfter(30 * 24 * 60 * 60);
    const again = await placeOrder(deps, input);
    expect(again).toMatchObject({ replayed: true, order: { id: first.order.id } });
    const { Items = [] } = await db.send(new ScanCommand({ TableName: 'Oms' }));
    const keys = Items.filter((i) => i.entity === 'IDEMPOTENCY' && String(i.key).startsWith('POST /orders'));
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(draft.customer.email);
    expect(Items.filter((i) => i.entity === 'ORDER')).toHaveLength(1);
  });

  it('keeps stock-change keys for a day only', async () => {
    const bus = new FlakyBus();
    await setStock(deps(bus), change('KEPT', 'count-day'), { onHand: 1 });
    await expireAfter(25 * 60 * 60);
    expect(await ledger.recorded('PUT stock KEPT@sp-1:ops-client:count-day')).toBeUndefined();
  });
});
