import { httpRoute, json } from '../lib/http-route';

/** Liveness: the function runs and its bundle loads. */
export const handler = httpRoute({}, async () => json(200, { status: 'ok' }));
