/** Percentile of sorted millisecond samples (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export interface RunResult {
  label: string;
  count: number;
  seconds: number;
  latenciesMs: number[];
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; times each call. */
export async function runConcurrently(
  label: string,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<RunResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return {
    label,
    count,
    seconds: (performance.now() - started) / 1000,
    latenciesMs: latenciesMs.sort((a, b) => a - b),
  };
}

export function formatRow(result: RunResult): string {
  const rate = result.count / result.seconds;
  const l = result.latenciesMs;
  return [
    result.label.padEnd(44),
    `${rate.toFixed(0).padStart(6)}/s`,
    `p50 ${percentile(l, 50).toFixed(1).padStart(6)} ms`,
    `p95 ${percentile(l, 95).toFixed(1).padStart(6)} ms`,
    `p99 ${percentile(l, 99).toFixed(1).padStart(6)} ms`,
  ].join('  ');
}
