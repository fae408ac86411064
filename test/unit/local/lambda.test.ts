import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const fn = new LocalLambda(
  {
    logicalId: 'Sleeper',
    functionName: 'Sleeper',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Sleeper',
    file,
    exportName: 'handler',
    environment: {},
    timeoutSeconds: 2,
    memorySize: 128,
    logGroupName: '/aws/lambda/Sleeper',
  },
  new Writable({ write: (_c, _e, done) => done() }),
);

afterAll(async () => {
  await fn.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a local Lambda function', () => {
  it('starts its worker at its first call (a cold start), not before', async () => {
    expect(fn.started).toBe(false);
    await expect(fn.invoke({ ms: 1 })).resolves.toEqual({ slept: 1 });
    expect(fn.started).toBe(true);
  });

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
