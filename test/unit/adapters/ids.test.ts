import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newUlid, ulidIds } from '../../../shared/adapters/system';

describe('order ids (ULIDs from a pooled CSPRNG)', () => {
  it('are valid ULIDs of the current time, all different across many pool refills, every character of the alphabet used', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, () => ulidIds.orderId());
    const after = Date.now();
    expect(ids.every((id) => isValid(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0], ids.at(-1)]) {
      expect(decodeTime(String(id))).toBeGreaterThanOrEqual(before);
      expect(decodeTime(String(id))).toBeLessThanOrEqual(after);
    }
    // The random part draws from all 32 characters, about evenly (5,000 x 16 draws: ~2,500 each).
    const counts = new Map<string, number>();
    for (const id of ids) for (const c of id.slice(10)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(n).toBeGreaterThan(2_000);
    expect(isValid(newUlid())).toBe(true);
  });
});
