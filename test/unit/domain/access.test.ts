import { describe, expect, it } from 'vitest';
import {
  listingChannel,
  principalFromScopes,
  requireAudience,
  requireChannel,
  requireLocation,
} from '../../../shared/domain/access';
import { ForbiddenError, UnauthorizedError } from '../../../shared/domain/errors';

const channelWeb = principalFromScopes('c1', ['oms/channel', 'oms/channel:web']);
const warehouseSp = principalFromScopes('w1', ['oms/warehouse', 'oms/location:cd-sp']);
const ops = principalFromScopes('o1', ['oms/ops']);

describe('access', () => {
  it('reads tenants only under their audience scope', () => {
    expect(principalFromScopes('x', ['oms/channel:web']).channels).toEqual([]);
    expect(channelWeb).toMatchObject({ ops: false, channels: ['web'], locations: [] });
    expect(warehouseSp.locations).toEqual(['cd-sp']);
  });

  it('answers 401 for a token with no OMS scope and 403 for the wrong audience', () => {
    expect(() => requireAudience(principalFromScopes('x', ['openid']), ['ops'])).toThrow(UnauthorizedError);
    expect(() => requireAudience(channelWeb, ['ops'])).toThrow(ForbiddenError);
    expect(() => requireAudience(channelWeb, ['channel', 'ops'])).not.toThrow();
  });

  it('lets a channel see only its own orders, a warehouse act only on its own location, ops on all', () => {
    expect(() => requireChannel(channelWeb, 'marketplace')).toThrow(ForbiddenError);
    expect(() => requireChannel(ops, 'marketplace')).not.toThrow();
    expect(() => requireLocation(warehouseSp, 'cd-rj')).toThrow(ForbiddenError);
    expect(() => requireLocation(ops, 'cd-rj')).not.toThrow();
  });

  it("confines a channel's listing to its own channel", () => {
    expect(listingChannel(channelWeb, undefined)).toBe('web');
    expect(() => listingChannel(channelWeb, 'marketplace')).toThrow(ForbiddenError);
    expect(listingChannel(ops, undefined)).toBeUndefined();
    const two = principalFromScopes('c2', ['oms/channel', 'oms/channel:web', 'oms/channel:b2b']);
    expect(() => listingChannel(two, undefined)).toThrow(ForbiddenError);
  });
});
