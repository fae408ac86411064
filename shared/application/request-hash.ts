import { createHash } from 'node:crypto';
import { UnprocessableError } from '../domain/errors';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Hash of a request body that ignores key order, so a re-sent body matches its first send. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/**
 * What every idempotent write does when its key was used before: the same body goes on to answer
 * the first result again, another body is refused (422, naming the key).
 */
export function requireSameRequest(
  first: { requestHash: string },
  hash: string,
  idempotencyKey: string,
): void {
  if (first.requestHash !== hash)
    throw new UnprocessableError('This Idempotency-Key was already used with a different request body', {
      idempotencyKey,
    });
}
