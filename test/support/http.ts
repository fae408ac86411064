/** A response as the tests read it. */
export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** Who calls an API when a test does not say: its ops client (startTestCloud sets it). */
const defaultCallers = new Map<string, () => Promise<string>>();

export function setDefaultCaller(baseUrl: string, token: () => Promise<string>): void {
  defaultCallers.set(baseUrl, token);
}

/**
 * One HTTP call. `token`: the bearer token to send, `null` for none; when absent, the API's
 * default caller's (an `authorization` header given in `headers` wins over both).
 */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (!('authorization' in headers)) {
    const token = options.token === undefined ? await defaultCallers.get(baseUrl)?.() : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
  }
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON; tests read `text`
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The longest pause between two checks of `eventually`. */
const MAX_POLL_INTERVAL_MS = 250;

/**
 * Polls until `check` returns a value or the deadline passes, first every `intervalMs`, then half
 * as often again each time up to every 250 ms: a check is an API call through the local cloud,
 * and polls at a steady 20 ms took the cores from the work they waited on.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = intervalMs; ; pause = Math.min(pause * 1.5, Math.max(intervalMs, MAX_POLL_INTERVAL_MS))) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
