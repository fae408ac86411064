import { NotFoundError } from '../domain/errors';
import type { Clock, DeadLetter, DeadLetterQueues, FunctionInvoker } from './ports';

/** A queue peeks at most this many letters (one SQS receive); the count covers them all. */
export const PEEK_LIMIT = 10;
/** Long enough to invoke a batch; a letter not settled by then is visible again, never lost. */
const LEASE_SECONDS = 60;

export interface DeadLetterQueueView {
  queue: string;
  approximateCount: number;
  letters: DeadLetter[];
}

function known(deps: { deadLetters: DeadLetterQueues }, queue: string): void {
  if (!deps.deadLetters.names().includes(queue))
    throw new NotFoundError(
      `No dead-letter queue ${queue}; there are: ${deps.deadLetters.names().join(', ')}`,
    );
}

/** What each dead-letter queue (or the one named) holds. */
export async function listDeadLetters(
  deps: { deadLetters: DeadLetterQueues },
  { queue }: { queue?: string | undefined },
): Promise<{ queues: DeadLetterQueueView[] }> {
  if (queue !== undefined) known(deps, queue);
  const names = queue === undefined ? deps.deadLetters.names() : [queue];
  return {
    queues: await Promise.all(
      names.map(async (name) => ({ queue: name, ...(await deps.deadLetters.peek(name, PEEK_LIMIT)) })),
    ),
  };
}

export interface RedriveResult {
  queue: string;
  redriven: number;
  /** Letters that could not be sent again; they stay in the queue. */
  failed: Array<{ id: string; error: string }>;
}

/**
 * Sends up to `max` letters of a queue back to their target (asynchronously, so the function's
 * retries and dead-letter queue apply again; a batched consumer's, to its queue) and removes each one sent. Only letters that failed
 * before the redrive started are sent, each once: one that fails again comes back as a new letter
 * and waits for the next redrive instead of looping. A letter that names no function stays.
 */
export async function redriveDeadLetters(
  deps: { deadLetters: DeadLetterQueues; functions: FunctionInvoker; clock: Clock },
  { queue, max }: { queue: string; max: number },
): Promise<RedriveResult> {
  known(deps, queue);
  const startedAt = deps.clock.now();
  const result: RedriveResult = { queue, redriven: 0, failed: [] };
  // Letters not sent (failed, newer, past max) stay out of sight until the pass ends, so none is
  // met twice; then they are put back for ops to see (or reappear when their lease runs out).
  const tried = new Set<string>();
  const keep: string[] = [];
  try {
    while (tried.size < max) {
      const batch = await deps.deadLetters.lease(queue, PEEK_LIMIT, LEASE_SECONDS);
      if (batch.length === 0) break;
      for (const letter of batch) {
        if (letter.failedAt >= startedAt || tried.size >= max || tried.has(letter.id)) {
          keep.push(letter.receipt);
          continue;
        }
        tried.add(letter.id);
        try {
          // A batched consumer's letter goes back to its queue; any other to its function.
          if (!(await deps.deadLetters.sendToSource(queue, letter.payload))) {
            if (!letter.target?.startsWith('arn:aws:lambda:'))
              throw new Error(`names no function to send it to (target ${letter.target ?? 'unknown'})`);
            await deps.functions.invokeAsync(letter.target, letter.payload);
          }
          await deps.deadLetters.remove(queue, letter.receipt);
          result.redriven++;
        } catch (error) {
          result.failed.push({ id: letter.id, error: (error as Error).message });
          keep.push(letter.receipt);
        }
      }
    }
  } finally {
    await Promise.allSettled(keep.map((receipt) => deps.deadLetters.putBack(queue, receipt)));
  }
  return result;
}
