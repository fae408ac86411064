import { describe, expect, it } from 'vitest';
import type { WebhookStore } from '../../../shared/application/ports';
import {
  SUBSCRIPTION_LIST_MAX_AGE_MS,
  withCachedSubscriptionList,
} from '../../../shared/application/webhooks';
import type { WebhookSubscription } from '../../../shared/domain/webhook-types';

const subscription = (id: string): WebhookSubscription => ({
  id,
  url: `https://example.com/${id}`,
  eventTypes: ['*'],
  status: 'ENABLED',
  secret: 's',
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
});

/** A store whose list is what `subscriptions` holds at the time of each read, the reads counted. */
function countingStore() {
  const state = { reads: 0, subscriptions: [subscription('a')], fail: false };
  const store = {
    async listSubscriptions() {
      state.reads++;
      if (state.fail) throw new Error('throttled');
      return [...state.subscriptions];
    },
    async getSubscription(id: string) {
      return state.subscriptions.find((s) => s.id === id);
    },
  } as unknown as WebhookStore;
  return { state, store };
}

describe("a sender's list of webhook subscriptions", () => {
  it('is read once for all the events a container sends within its maximum age, and read again after it', async () => {
    const { state, store } = countingStore();
    let now = 0;
    const cached = withCachedSubscriptionList(store, SUBSCRIPTION_LIST_MAX_AGE_MS, () => now);

    await Promise.all([cached.listSubscriptions(), cached.listSubscriptions()]);
    now = SUBSCRIPTION_LIST_MAX_AGE_MS - 1;
    state.subscriptions.push(subscription('b'));
    expect((await cached.listSubscriptions()).map((s) => s.id)).toEqual(['a']);
    expect(state.reads).toBe(1);

    now = SUBSCRIPTION_LIST_MAX_AGE_MS;
    expect((await cached.listSubscriptions()).map((s) => s.id)).toEqual(['a', 'b']);
    expect(state.reads).toBe(2);
  });

  it('keeps no failed read: the next event reads the list again', async () => {
    const { state, store } = countingStore();
    const cached = withCachedSubscriptionList(store, SUBSCRIPTION_LIST_MAX_AGE_MS, () => 0);
    state.fail = true;
    await expect(cached.listSubscriptions()).rejects.toThrow('throttled');
    state.fail = false;
    expect((await cached.listSubscriptions()).map((s) => s.id)).toEqual(['a']);
    expect(state.reads).toBe(2);
  });

  it("passes the store's other operations through to the store", async () => {
    const { store } = countingStore();
    const cached = withCachedSubscriptionList(store, SUBSCRIPTION_LIST_MAX_AGE_MS);
    expect((await cached.getSubscription('a'))?.url).toBe('https://example.com/a');
  });
});
