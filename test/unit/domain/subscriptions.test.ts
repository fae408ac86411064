import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../shared/domain/errors';
import {
  addInterval,
  cancel,
  completeRun,
  dueAction,
  dueAt,
  pause,
  remind,
  resume,
  runDraft,
  type Subscription,
  skipNext,
} from '../../../shared/domain/subscriptions';

const at = '2026-01-31T09:00:00.000Z';

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: '0123456789abcdef01234567',
    status: 'ACTIVE',
    order: {
      channel: 'web',
      customer: { email: 'c@example.com', name: 'C' },
      shippingAddress: { name: 'C', line1: 'x', city: 'y', postalCode: '1', country: 'BR' },
      lines: [{ sku: 'A', quantity: 2, unitPrice: 500 }],
      currency: 'BRL',
      payment: { method: 'card', token: 'tok_visa' },
    },
    interval: { every: 1, unit: 'month' },
    reminderDays: 3,
    nextRunAt: at,
    runs: [],
    createdBy: 'ops',
    requestHash: 'h',
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

describe('subscription schedule', () => {
  it('adds days, weeks and months; a month keeps its day, or the last day of a shorter month', () => {
    expect(addInterval(at, { every: 3, unit: 'day' })).toBe('2026-02-03T09:00:00.000Z');
    expect(addInterval(at, { every: 2, unit: 'week' })).toBe('2026-02-14T09:00:00.000Z');
    expect(addInterval(at, { every: 1, unit: 'month' })).toBe('2026-02-28T09:00:00.000Z');
    expect(addInterval('2026-01-15T09:00:00.000Z', { every: 13, unit: 'month' })).toBe(
      '2027-02-15T09:00:00.000Z',
    );
  });

  it('is due first for its reminder, then for its run; a paused or cancelled one never', () => {
    const s = subscription();
    expect(dueAt(s)).toBe('2026-01-28T09:00:00.000Z');
    expect(dueAction(s, '2026-01-27T00:00:00.000Z')).toBeUndefined();
    expect(dueAction(s, '2026-01-29T00:00:00.000Z')).toBe('remind');
    const reminded = remind(s, '2026-01-29T00:00:00.000Z');
    expect(dueAt(reminded)).toBe(at);
    expect(dueAction(reminded, '2026-01-30T00:00:00.000Z')).toBeUndefined();
    expect(dueAction(reminded, at)).toBe('place');
    // A sweep late past the run places it, reminder or not.
    expect(dueAction(s, '2026-02-01T00:00:00.000Z')).toBe('place');
    expect(dueAt(pause(s, at))).toBeUndefined();
    expect(dueAt(cancel(s, at))).toBeUndefined();
  });

  it("records a run and schedules the next an interval after the run's due time, keeping the last 24", () => {
    let s = subscription({ reminderDays: 0 });
    for (let i = 0; i < 30; i++) s = completeRun(s, { runAt: s.nextRunAt as string, orderId: `o${i}` }, at);
    expect(s.runs).toHaveLength(24);
    expect(s.runs[0]?.orderId).toBe('o29');
    expect(s.version).toBe(31);
  });

  it('resumes at the first run due from now on, without making up the runs missed while paused', () => {
    const paused = pause(subscription({ interval: { every: 1, unit: 'week' } }), at);
    const resumed = resume(paused, '2026-02-20T00:00:00.000Z');
    expect(resumed).toMatchObject({ status: 'ACTIVE', nextRunAt: '2026-02-21T09:00:00.000Z' });
    expect(() => resume(resumed, at)).toThrow(InvalidStateError);
    expect(skipNext(paused, at).nextRunAt).toBe('2026-02-07T09:00:00.000Z');
    expect(() => pause(cancel(paused, at), at)).toThrow(InvalidStateError);
  });

  it("keys a run's order by the subscription and the run's day", () => {
    expect(runDraft(subscription(), at)).toMatchObject({
      externalOrderId: 'SUB-0123456789abcdef01234567-20260131',
      subscriptionId: '0123456789abcdef01234567',
      lines: [{ sku: 'A', quantity: 2, unitPrice: 500 }],
    });
  });
});
