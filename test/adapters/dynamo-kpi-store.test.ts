import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoKpiStore } from '../../shared/adapters/aws/dynamo-kpi-store';
import { kpiIncrement } from '../../shared/domain/kpis';
import { TABLE, useOmsTable } from '../support/oms-table';

const table = useOmsTable();
const store = () => new DynamoKpiStore(table.db, TABLE);
const day = '2026-12-01';
const placed = (orderId: string, channel = 'web') =>
  kpiIncrement({
    type: 'placed',
    orderId,
    channel,
    at: `${day}T10:00:00.000Z`,
    currency: 'BRL',
    grandTotal: 1000,
    lines: [{ sku: 'TEE', quantity: 2, lineTotal: 1000 }],
  });

/** A transaction cancelled because another one touched the same counter at once, as DynamoDB answers it. */
function conflict(): Error {
  return Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
  });
}

describe('DynamoKpiStore', () => {
  it('sums a day and channel over its shards when read, counts one order once however often its event comes, and filters a channel', async () => {
    const kpis = store();
    // Ids that land on different shards: their counters sit in different items.
    const orders = ['01A', '01B', '01C', '01D', '01E'];
    for (const id of orders) expect(await kpis.apply(placed(id), `${day}T10:00:00.000Z`)).toBe(true);
    expect(await kpis.apply(placed('01A'), `${day}T10:00:00.000Z`)).toBe(false);
    expect(await kpis.apply(placed('01Z', 'b2b'), `${day}T10:00:00.000Z`)).toBe(true);
    expect((await kpis.memory('01A')).counted).toEqual(['placed']);

    const { rows, skuRows } = await kpis.rows({ from: day, to: day });
    expect(rows.map((r) => [r.channel, r.counters.placed, r.counters['revenue#BRL']]).sort()).toEqual([
      ['b2b', 1, 1000],
      ['web', 5, 5000],
    ]);
    expect(skuRows.find((r) => r.channel === 'web')).toMatchObject({ sku: 'TEE', counters: { units: 10 } });
    const web = await kpis.rows({ from: day, to: day, channel: 'web' });
    expect(web.rows).toHaveLength(1);
    expect((await kpis.rows({ from: '2026-12-02', to: '2026-12-31' })).rows).toEqual([]);
  });

  it('counts a batch of 150 orders, each with its own SKU row, in as many transactions as 100 items allow, refusing only the order counted before', async () => {
    const kpis = store();
    const bulkDay = '2026-11-01';
    const orderOf = (i: number) => ({
      orderId: `03${String(i).padStart(3, '0')}`,
      increments: [
        kpiIncrement({
          type: 'placed',
          orderId: `03${String(i).padStart(3, '0')}`,
          channel: 'bulk',
          at: `${bulkDay}T10:00:00.000Z`,
          currency: 'BRL',
          grandTotal: 100,
          lines: [{ sku: `SKU-${i}`, quantity: 1, lineTotal: 100 }],
        }),
      ],
      at: `${bulkDay}T10:00:00.000Z`,
    });
    const orders = Array.from({ length: 150 }, (_, i) => orderOf(i));
    expect(await kpis.apply(orders[7]?.increments[0] as never, `${bulkDay}T10:00:00.000Z`)).toBe(true);
    let transactions = 0;
    const counting = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand) {
          transactions++;
          expect(command.input.TransactItems?.length).toBeLessThanOrEqual(100);
        }
        return table.db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const { refused } = await new DynamoKpiStore(counting, TABLE).applyMany(orders);
    expect(refused).toEqual(['03007']);
    // 150 memory updates and 150 SKU rows plus 4 channel rows: 4 chunks, one more try for the refused.
    expect(transactions).toBeGreaterThanOrEqual(4);
    expect(transactions).toBeLessThanOrEqual(5);
    const { rows, skuRows } = await kpis.rows({ from: bulkDay, to: bulkDay, channel: 'bulk' });
    expect(rows[0]?.counters.placed).toBe(150);
    expect(skuRows).toHaveLength(150);
  });

  it("reads 120 orders' memories in two BatchGetItem calls, an order never counted with an empty one", async () => {
    const kpis = store();
    const ids = Array.from({ length: 120 }, (_, i) => `05${String(i).padStart(3, '0')}`);
    expect(
      (
        await kpis.applyMany(
          ids
            .slice(0, 60)
            .map((id) => ({ orderId: id, increments: [placed(id)], at: `${day}T10:00:00.000Z` })),
        )
      ).refused,
    ).toEqual([]);
    let calls = 0;
    const counting = {
      send: (command: never) => {
        calls++;
        return table.db.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const memories = await new DynamoKpiStore(counting, TABLE).memories(ids);
    expect(calls).toBe(2);
    expect(memories.size).toBe(120);
    expect(memories.get('05000')?.counted).toEqual(['placed']);
    expect(memories.get('05119')).toEqual({ counted: [] });
  });

  it('tries a transaction again when it conflicted with another on the same counters, and counts it once', async () => {
    let conflicts = 1;
    const flaky = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand && conflicts-- > 0) throw conflict();
        return table.db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const kpis = new DynamoKpiStore(flaky, TABLE);
    expect(await kpis.apply(placed('02A', 'conflicted'), `${day}T10:00:00.000Z`)).toBe(true);
    expect(conflicts).toBe(-1);
    const { rows } = await kpis.rows({ from: day, to: day, channel: 'conflicted' });
    expect(rows[0]?.counters.placed).toBe(1);
  });

  it('gives up on a conflict that does not clear after its retries, so the event is retried by Lambda and then dead-lettered', async () => {
    const always = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand) throw conflict();
        return table.db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    await expect(
      new DynamoKpiStore(always, TABLE).apply(placed('03A'), `${day}T10:00:00.000Z`),
    ).rejects.toThrow('Transaction cancelled');
  }, 30_000);
});
