import { describe, expect, it } from 'vitest';
import { afterPage, newBulkJob } from '../../../shared/domain/bulk-jobs';

const by = { subject: 'ops', ops: true, channels: [], locations: [] };
const job = newBulkJob(
  { id: 'j1', action: 'hold', filter: { channel: 'web' }, by, requestHash: 'h', reason: 'fraud' },
  '2026-12-06T10:00:00.000Z',
);

describe('a bulk job', () => {
  it('adds up each page, keeps why orders were skipped or failed, and goes on from the cursor', () => {
    const page = afterPage(
      job,
      [
        { orderId: 'o1', outcome: 'applied' },
        { orderId: 'o2', outcome: 'skipped', detail: 'Order o2 is CANCELLED' },
        { orderId: 'o3', outcome: 'failed', detail: 'boom' },
      ],
      'c1',
      '2026-12-06T10:00:01.000Z',
    );
    expect(page).toMatchObject({
      status: 'RUNNING',
      matched: 3,
      applied: 1,
      skipped: 1,
      failed: 1,
      cursor: 'c1',
      pages: 1,
      version: 2,
    });
    expect(page.skips).toEqual([{ orderId: 'o2', reason: 'Order o2 is CANCELLED' }]);
    expect(page.failures).toEqual([{ orderId: 'o3', error: 'boom' }]);
    const last = afterPage(
      page,
      [{ orderId: 'o4', outcome: 'applied' }],
      undefined,
      '2026-12-06T10:00:02.000Z',
    );
    expect(last).toMatchObject({
      status: 'SUCCEEDED',
      matched: 4,
      applied: 2,
      finishedAt: '2026-12-06T10:00:02.000Z',
    });
    expect(last).not.toHaveProperty('cursor');
  });

  it('keeps the first 100 skips, however many there are; the count says how many', () => {
    const results = Array.from({ length: 150 }, (_, i) => ({
      orderId: `o${i}`,
      outcome: 'skipped' as const,
    }));
    const after = afterPage(job, results, 'c', '2026-12-06T10:00:01.000Z');
    expect(after.skipped).toBe(150);
    expect(after.skips).toHaveLength(100);
    expect(after.skips[0]?.orderId).toBe('o0');
  });
});
