/**
 * The console calls the OMS's own HTTP API, same origin, with an ops token: the page itself holds
 * no data and no secret. The token lives in sessionStorage (gone with the tab); `npm start` prints
 * a console link carrying a fresh one in the URL fragment, which never reaches a server log.
 */
const TOKEN_KEY = 'oms-console-token';

export function takeTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}#/orders`);
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const signIn = (value: string) => sessionStorage.setItem(TOKEN_KEY, value.trim());
export const signOut = () => sessionStorage.removeItem(TOKEN_KEY);

/** An RFC 9457 problem the API answered, or a failure to reach it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** Listeners told when the API refuses the token (expired or missing), so the page asks for another. */
const unauthorizedListeners = new Set<() => void>();
export const onUnauthorized = (listener: () => void) => {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
};

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    if (response.status === 401) for (const listener of unauthorizedListeners) listener();
    throw new ApiProblem(
      response.status,
      String(parsed.title ?? response.statusText),
      String(parsed.detail ?? parsed.message ?? ''),
    );
  }
  return parsed as T;
}
