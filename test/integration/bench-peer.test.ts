import { describe, expect, it } from 'vitest';
import { omsPeer, peerFromFlags, placeThrough } from '../../bench/peers';
import { request } from '../support/http';
import { useTestCloud } from '../support/test-cloud';
import { tokenOf } from '../support/tokens';

const env = useTestCloud();

describe('the bench side by side with a peer', () => {
  it('places the bench order through a second system given its URL, and counts every order the peer accepted', async () => {
    const token = await tokenOf(env.cloud, 'ops');
    const peer = omsPeer(env.cloud.apiUrl, async () => token, 'second OMS');
    const result = await placeThrough(peer, 12, 4);
    expect(result).toMatchObject({ label: 'second OMS place order', count: 12, failed: 0 });
    expect(result.latenciesMs).toHaveLength(12);
    const listed = await request(env.cloud.apiUrl, 'GET', '/orders?channel=web&limit=50');
    expect((listed.body.items as unknown[]).length).toBeGreaterThanOrEqual(12);
  });

  it("counts the orders a peer refuses instead of stopping, and keeps the peer's first answer", async () => {
    const peer = omsPeer(env.cloud.apiUrl, async () => 'not-a-token');
    const result = await placeThrough(peer, 3, 3);
    expect(result.failed).toBe(3);
    expect(result.firstError).toMatch(/POST .*\/orders answered 401/);
  });

  it('names what a peer needs when the command line leaves it out', () => {
    expect(() => peerFromFlags('oms', 'http://127.0.0.1:1', {})).toThrow('--peer oms needs OMS_TOKEN');
    expect(() => peerFromFlags('medusa', 'http://127.0.0.1:1', { MEDUSA_PUBLISHABLE_KEY: 'pk' })).toThrow(
      '--peer medusa needs MEDUSA_REGION_ID',
    );
    expect(() => peerFromFlags('shopify', 'http://127.0.0.1:1', {})).toThrow('Unknown peer shopify');
  });
});
