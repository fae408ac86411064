const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `items` in chunks of `limit`, the batch call's own limit. What DynamoDB leaves unprocessed
 * in a chunk (throttling) is sent again after a growing, jittered pause, as AWS advises, until
 * nothing is left. No SDK command here: each batch call lives in its own module, so a function is
 * granted only the call its adapters make (test/infra/least-privilege.test.ts reads modules).
 */
export async function inChunks<T>(
  items: readonly T[],
  limit: number,
  send: (chunk: T[]) => Promise<T[]>,
): Promise<void> {
  for (let i = 0; i < items.length; i += limit) {
    let chunk = items.slice(i, i + limit);
    for (let attempt = 0; chunk.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
      chunk = await send(chunk);
    }
  }
}
