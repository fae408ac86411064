import { createHash } from 'node:crypto';
import { ValidationError } from '../../domain/errors';

/**
 * Opaque pagination cursor: the last key returned plus a fingerprint of the filters,
 * so a cursor cannot silently be reused with other filters.
 */
export function encodeCursor(key: Record<string, unknown>, filter: object): string {
  return Buffer.from(JSON.stringify({ k: key, f: fingerprint(filter) })).toString('base64url');
}

export function decodeCursor(cursor: string, filter: object): Record<string, unknown> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      k?: unknown;
      f?: unknown;
    };
    if (parsed.f === fingerprint(filter) && parsed.k !== null && typeof parsed.k === 'object') {
      return parsed.k as Record<string, unknown>;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('The cursor is not valid for this query', [
    { pointer: '#/query/cursor', detail: 'must be a nextCursor returned by the same query' },
  ]);
}

function fingerprint(filter: object): string {
  const sorted = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('base64url').slice(0, 16);
}
