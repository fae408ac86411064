import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambda } from '../../../infra/local/lambda';

const dir = mkdtempSync(path.join(tmpdir(), 'oms-lambda-'));
const file = path.join(dir, 'index.mjs');
writeFileSync(
  file,
  'export const handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return { slept: event.ms }; };',
);
// Linux only: the nice value of the thread running the handler, field 19 of its stat line.
const niceFile = path.join(dir, 'nice.mjs');
writeFileSync(
  niceFile,
  `import { readFileSync } from 'node:fs';
export const handler = async () => {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};`,
);
const spec = (name: string, handlerFile: string, background: boolean) => ({
  logicalId: name,
  functionName: name,
  functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  file: handlerFile,
  exportName: 'handler',
  environment: {},
  timeoutSeconds: 2,
  memorySize: 128,
  logGroupName: `/aws/lambda/${name}`,
  background,
});
const quiet = () => new Writable({ write: (_c, _e, done) => done() });
const fn = new LocalLambda(spec('Sleeper', file, false), quiet());
const niceBackground = new LocalLambda(spec('NiceBackground', niceFile, true), quiet());
const niceFrontDoor = new LocalLambda(spec('NiceFrontDoor', niceFile, false), quiet());

afterAll(async () => {
  await Promise.all([fn.stop(), niceBackground.stop(), niceFrontDoor.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a local Lambda function', () => {
  it('starts its worker at its first call (a cold start), not before', async () => {
    expect(fn.started).toBe(false);
    await expect(fn.invoke({ ms: 1 })).resolves.toEqual({ slept: 1 });
    expect(fn.started).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    "runs a background function's worker thread below normal CPU priority (nice 10) and a front-door function's at the process's, the process itself untouched",
    async () => {
      // Relative to this process's own nice value (a CI runner may start the tests niced).
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const processNice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      await expect(niceBackground.invoke({})).resolves.toBe(Math.max(10, processNice));
      await expect(niceFrontDoor.invoke({})).resolves.toBe(processNice);
      expect(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[16])).toBe(
        processNice,
      );
    },
  );

  it('times out a call past its timeout without failing the other calls in flight, and serves later calls', async () => {
    // Warm from the call above: the timings below are the handler's alone.
    const slow = fn.invoke({ ms: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Still running when the slow one times out (at 2 s), and ends after it.
    const quick = fn.invoke({ ms: 1_500 });
    await expect(slow).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    await expect(quick).resolves.toEqual({ slept: 1_500 });
    await expect(fn.invoke({ ms: 10 })).resolves.toEqual({ slept: 10 });
  });
});
