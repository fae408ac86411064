import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors';
import { describeFailure, holdForFailure, holdOrder, releaseOrder } from '../../../shared/domain/hold';
import type { Order } from '../../../shared/domain/order';
import { testOrder } from '../../support/fakes';

const at = '2026-01-02T00:00:00.000Z';
const inStatus = (status: Order['status']): Order => ({ ...testOrder(), status });

describe('holding and releasing an order', () => {
  it('holds an order with where it stood, and releases it back there', () => {
    const held = holdOrder(
      inStatus('FULFILLING'),
      { reason: 'fraud', note: 'odd address' },
      { by: 'ops-1', at },
    );
    expect(held).toMatchObject({
      status: 'ON_HOLD',
      statusReason: 'fraud: odd address',
      hold: { kind: 'fraud', by: 'ops-1', from: 'FULFILLING', at },
    });
    const released = releaseOrder(held, { by: 'ops-2', at, note: 'checked' });
    expect(released.status).toBe('FULFILLING');
    expect(released.hold).toBeUndefined();
    expect(released.timeline.at(-1)).toEqual({
      status: 'FULFILLING',
      at,
      reason: 'released by ops-2: checked',
    });
  });

  it('refuses to hold a shipped, delivered, cancelled or held order, and to release one not held', () => {
    for (const status of ['SHIPPED', 'DELIVERED', 'CANCELLED', 'ON_HOLD'] as const) {
      expect(() => holdOrder(inStatus(status), { reason: 'ops' }, { by: 'ops', at }), status).toThrow(
        ConflictError,
      );
    }
    expect(() => releaseOrder(inStatus('ROUTED'), { by: 'ops', at })).toThrow(ConflictError);
  });

  it('holds an order after a failed step: back to allocation when its stock was let go, else where it stood; not twice', () => {
    const error = { Error: 'InjectedFault', Cause: JSON.stringify({ errorMessage: 'boom' }) };
    const routed = holdForFailure(inStatus('ALLOCATED'), { step: 'Route', error, stockReleased: true }, at);
    expect(routed).toMatchObject({
      status: 'ON_HOLD',
      statusReason: 'Route failed after its retries (InjectedFault): boom',
      hold: { kind: 'failure', from: 'CONFIRMED' },
    });
    expect(
      holdForFailure(inStatus('FULFILLING'), { step: 'Ship', stockReleased: false }, at)?.hold?.from,
    ).toBe('FULFILLING');
    expect(holdForFailure(routed as Order, { step: 'Ship', stockReleased: false }, at)).toBeUndefined();
    expect(
      holdForFailure(inStatus('DELIVERED'), { step: 'Complete', stockReleased: false }, at),
    ).toBeUndefined();
  });

  it('describes a failure in one line, with the Lambda error message when its cause carries one', () => {
    expect(describeFailure('Pick', { Error: 'States.Timeout', Cause: 'no answer' })).toBe(
      'Pick failed after its retries (States.Timeout): no answer',
    );
    expect(describeFailure('Pick', undefined)).toBe('Pick failed after its retries (unknown error)');
  });
});
