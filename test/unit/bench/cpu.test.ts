import { describe, expect, it } from 'vitest';
import { cpuMeter, cpuPerOrder } from '../../../bench/cpu';

describe("the bench's CPU per order", () => {
  it("counts this process's CPU and another process's from /proc (here this process again), both seeing a 200 ms busy loop", () => {
    const spent = cpuMeter(process.pid);
    // 200 ms of CPU, not of the clock: a loaded machine would give the loop less than its wall time.
    const started = process.cpuUsage();
    while (process.cpuUsage(started).user < 200_000) Math.sqrt(Math.random());
    const { nodeMs, javaMs } = spent();
    expect(nodeMs).toBeGreaterThanOrEqual(200);
    // /proc counts in 10 ms ticks.
    expect(javaMs).toBeGreaterThanOrEqual(150);
    expect(Math.abs((javaMs ?? 0) - nodeMs)).toBeLessThan(60);
  });

  it('divides by the orders and bounds the throughput by the cores', () => {
    const line = cpuPerOrder({ nodeMs: 30_000, javaMs: 10_000 }, 100);
    expect(line).toMatch(
      /^CPU per order: local cloud 300 ms, DynamoDB Local 100 ms; \d+ cores allow [\d.]+ orders\/s/,
    );
    expect(cpuPerOrder({ nodeMs: 1000, javaMs: undefined }, 10)).toContain('DynamoDB Local unknown');
  });
});
