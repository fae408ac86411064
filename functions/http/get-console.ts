import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConsoleFileParams } from '../../shared/contracts/ops-schemas';
import { NotFoundError } from '../../shared/domain/errors';
import { httpRoute } from '../lib/http-route';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** The console's built files, beside this bundle (infra/console-build.ts), read once per cold start. */
const folder = path.join(import.meta.dirname, 'console');
const files = new Map(
  readdirSync(folder).map((name) => {
    const body = readFileSync(path.join(folder, name), 'utf8');
    return [name, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }];
  }),
);

/**
 * The page only runs what it was served with and only calls this API: a script injected into an
 * order's data could not load another or send the ops token elsewhere.
 */
const SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** GET /console and GET /console/{file}: the ops console's static files (the data comes from the API, with a token). */
export const handler = httpRoute({ params: ConsoleFileParams.partial() }, async ({ params, headers }) => {
  const name = params.file ?? 'index.html';
  const file = files.get(name);
  if (!file) throw new NotFoundError(`The console has no file ${name}`);
  const common = { etag: file.etag, 'cache-control': 'no-cache', ...SECURITY };
  if (headers['if-none-match'] === file.etag) return { statusCode: 304, headers: common };
  return {
    statusCode: 200,
    headers: { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', ...common },
    body: file.body,
  };
});
