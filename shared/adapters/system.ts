import { ulid } from 'ulid';
import type { Clock, Ids } from '../application/ports';

export const systemClock: Clock = { now: () => new Date().toISOString() };

/**
 * ulid's own generator asks the CSPRNG for one byte per character (16 calls per id); one call
 * fills a pool that serves 16 ids. Same source, same distribution (256 is a multiple of the 32
 * characters), a tenth of the time.
 */
const pool = new Uint8Array(256);
let drawn = pool.length;
function pooledRandom(): number {
  if (drawn === pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  return (pool[drawn++] ?? 0) / 256;
}

const newId = (): string => ulid(undefined, pooledRandom);

export const ulidIds: Ids = { orderId: newId };

/** A new id sortable by creation time (webhook subscriptions). */
export const newUlid = newId;
