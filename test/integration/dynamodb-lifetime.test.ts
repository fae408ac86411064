import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/http';
import { alive } from '../support/processes';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A Node process that starts DynamoDB Local like the local cloud does, prints Java's pid, then idles. */
function owner() {
  const script = `
    import { startDynamoDbLocal } from './infra/local/dynamodb.ts';
    const db = await startDynamoDbLocal();
    console.log('JAVA ' + db.pid);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const javaPid = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /JAVA (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`owner exited with ${code} before DynamoDB Local was up`)));
  });
  return { child, javaPid };
}

describe('DynamoDB Local lifetime', () => {
  it('ends DynamoDB Local when the process that started it is killed without a chance to stop it (SIGKILL)', async () => {
    const { child, javaPid } = owner();
    const pid = await javaPid;
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    await eventually(async () => (alive(pid) ? undefined : true), 20_000, 100);
  }, 60_000);

  it('ends DynamoDB Local when the process that started it is terminated (SIGTERM) without running a stop path', async () => {
    const { child, javaPid } = owner();
    const pid = await javaPid;
    // The owner has no SIGTERM handler: the default action ends it as a crash would, no stop path run.
    child.kill('SIGTERM');
    await eventually(async () => (alive(pid) ? undefined : true), 20_000, 100);
  }, 60_000);
});
