import { describe, expect, it } from 'vitest';
import { listDeadLetters, redriveDeadLetters } from '../../../shared/application/dead-letters';
import type {
  DeadLetter,
  DeadLetterQueues,
  FunctionInvoker,
  LeasedDeadLetter,
} from '../../../shared/application/ports';
import { NotFoundError } from '../../../shared/domain/errors';

/** Queues held in memory with SQS's lease semantics: a leased letter is out of sight until put back or removed. */
class InMemoryDeadLetters implements DeadLetterQueues {
  readonly letters: Array<DeadLetter & { leased?: string }> = [];
  /** What went back to the queue of a batched consumer (Kpis reads one). */
  readonly resent: Array<{ queue: string; payload: unknown }> = [];
  private receipts = 0;

  names() {
    return ['Notifier', 'Alerts', 'Kpis'];
  }
  async sendToSource(queue: string, payload: unknown) {
    if (queue !== 'Kpis') return false;
    this.resent.push({ queue, payload });
    return true;
  }
  add(letter: Partial<DeadLetter> & { id: string }) {
    this.letters.push({
      queue: 'Notifier',
      failedAt: '2026-12-01T00:00:00.000Z',
      stage: 'function',
      target: 'arn:aws:lambda:us-east-1:1:function:Notifier',
      error: { message: 'boom' },
      payload: { n: letter.id },
      ...letter,
    });
  }
  async peek(queue: string, limit: number) {
    const held = this.letters.filter((l) => l.queue === queue);
    return { approximateCount: held.length, letters: held.filter((l) => !l.leased).slice(0, limit) };
  }
  async lease(queue: string, max: number): Promise<LeasedDeadLetter[]> {
    const free = this.letters.filter((l) => l.queue === queue && !l.leased).slice(0, max);
    return free.map((l) => {
      l.leased = `r${++this.receipts}`;
      const { leased, ...letter } = l;
      return { ...letter, receipt: leased };
    });
  }
  async remove(_queue: string, receipt: string) {
    const at = this.letters.findIndex((l) => l.leased === receipt);
    if (at >= 0) this.letters.splice(at, 1);
  }
  async putBack(_queue: string, receipt: string) {
    const letter = this.letters.find((l) => l.leased === receipt);
    if (letter) delete letter.leased;
  }
}

class RecordingInvoker implements FunctionInvoker {
  readonly calls: Array<{ arn: string; payload: unknown }> = [];
  constructor(private readonly refuse = new Set<string>()) {}
  async invokeAsync(arn: string, payload: unknown) {
    if (this.refuse.has(JSON.stringify(payload))) throw new Error('Rate Exceeded.');
    this.calls.push({ arn, payload });
  }
}

const clock = { now: () => '2026-12-02T10:00:00.000Z' };

describe('dead letters: list and redrive', () => {
  it('sends each letter back to its function once and removes it; keeps one it could not send, one naming no function, and one that failed after the redrive began', async () => {
    const queues = new InMemoryDeadLetters();
    queues.add({ id: 'a' });
    queues.add({ id: 'refused' });
    queues.add({ id: 'no-target', target: undefined as never });
    queues.add({ id: 'newer', failedAt: '2026-12-02T10:00:00.000Z' });
    queues.add({ id: 'b' });
    const functions = new RecordingInvoker(new Set([JSON.stringify({ n: 'refused' })]));

    const result = await redriveDeadLetters(
      { deadLetters: queues, functions, clock },
      { queue: 'Notifier', max: 100 },
    );

    expect(functions.calls).toEqual([
      { arn: 'arn:aws:lambda:us-east-1:1:function:Notifier', payload: { n: 'a' } },
      { arn: 'arn:aws:lambda:us-east-1:1:function:Notifier', payload: { n: 'b' } },
    ]);
    expect(result).toEqual({
      queue: 'Notifier',
      redriven: 2,
      failed: [
        { id: 'refused', error: 'Rate Exceeded.' },
        { id: 'no-target', error: 'names no function to send it to (target unknown)' },
      ],
    });
    expect(queues.letters.map((l) => [l.id, l.leased])).toEqual([
      ['refused', undefined],
      ['no-target', undefined],
      ['newer', undefined],
    ]);
  });

  it("sends a batched consumer's letters back to the queue it reads, not to its function", async () => {
    const queues = new InMemoryDeadLetters();
    queues.add({ id: 'k1', queue: 'Kpis', target: 'https://sqs.us-east-1.amazonaws.com/1/KpiQueue' });
    queues.add({ id: 'k2', queue: 'Kpis', stage: 'delivery', target: 'arn:aws:sqs:us-east-1:1:KpiQueue' });
    const functions = new RecordingInvoker();
    const result = await redriveDeadLetters(
      { deadLetters: queues, functions, clock },
      { queue: 'Kpis', max: 10 },
    );
    expect(result).toEqual({ queue: 'Kpis', redriven: 2, failed: [] });
    expect(queues.resent).toEqual([
      { queue: 'Kpis', payload: { n: 'k1' } },
      { queue: 'Kpis', payload: { n: 'k2' } },
    ]);
    expect(functions.calls).toEqual([]);
    expect(queues.letters).toEqual([]);
  });

  it('stops at max letters, leaving the rest in the queue', async () => {
    const queues = new InMemoryDeadLetters();
    for (const id of ['1', '2', '3', '4', '5']) queues.add({ id });
    const functions = new RecordingInvoker();
    const result = await redriveDeadLetters(
      { deadLetters: queues, functions, clock },
      { queue: 'Notifier', max: 2 },
    );
    expect(result.redriven).toBe(2);
    expect(queues.letters.map((l) => [l.id, l.leased])).toEqual([
      ['3', undefined],
      ['4', undefined],
      ['5', undefined],
    ]);
  });

  it('lists every queue, or the one named, and refuses a queue that does not exist', async () => {
    const queues = new InMemoryDeadLetters();
    queues.add({ id: 'a' });
    expect(await listDeadLetters({ deadLetters: queues }, {})).toEqual({
      queues: [
        { queue: 'Notifier', approximateCount: 1, letters: [expect.objectContaining({ id: 'a' })] },
        { queue: 'Alerts', approximateCount: 0, letters: [] },
        { queue: 'Kpis', approximateCount: 0, letters: [] },
      ],
    });
    await expect(listDeadLetters({ deadLetters: queues }, { queue: 'Nope' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      redriveDeadLetters(
        { deadLetters: queues, functions: new RecordingInvoker(), clock },
        { queue: 'Nope', max: 1 },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
