import type { WebhookSender } from '../../application/ports';
import { WEBHOOK_TIMEOUT_MS } from '../../domain/webhooks';

/**
 * POSTs with Node's fetch: a 2xx is delivered; anything else, a time-out or a refused connection
 * is a failed attempt with what happened. Redirects are not followed (a subscriber moves its URL
 * through its subscription, not by pointing the OMS elsewhere).
 */
export class FetchWebhookSender implements WebhookSender {
  async post(url: string, body: string, headers: Record<string, string>) {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // Read (and drop) the answer so the connection is free again.
      await response.arrayBuffer().catch(() => undefined);
      return { ok: response.status >= 200 && response.status < 300, statusCode: response.status, ms: ms() };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = error instanceof Error ? error.name : 'Error';
      return {
        ok: false,
        error:
          name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS} ms` : (cause ?? String(error)),
        ms: ms(),
      };
    }
  }
}
