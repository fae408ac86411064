const ATTEMPTS = 5;

/**
 * POSTs one chunk of an import, again after a pause while the OMS is busy (429, 409 in flight,
 * 5xx, a dropped connection): the chunk's Idempotency-Key makes a second send a replay.
 */
export async function postChunk(
  url: string,
  body: unknown,
  headers: { authorization: string; idempotencyKey: string },
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': headers.idempotencyKey,
          authorization: headers.authorization,
        },
        body: JSON.stringify(body),
      });
      const busy = response.status === 429 || response.status === 409 || response.status >= 500;
      if (!busy || attempt === ATTEMPTS) return response;
    } catch (error) {
      if (attempt === ATTEMPTS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
}
