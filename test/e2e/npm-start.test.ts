import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { learnCarrierSecrets, postDelivered, reportPacked, shipmentsOf } from '../support/carriers';
import { eventually, request, setDefaultCaller } from '../support/http';
import { stockForOrders } from '../support/inventory';
import { newKey, orderBody } from '../support/orders';

const root = path.resolve(import.meta.dirname, '../..');
const home = mkdtempSync(path.join(tmpdir(), 'oms-e2e-'));
let running: ChildProcess | undefined;
let output = '';

/** Runs `npm start` as a user would, in its own process group so Ctrl-C reaches all of it. */
async function npmStart(port: number): Promise<ChildProcess> {
  output = '';
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), AWS_PORT: String(port + 1), OMS_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await eventually(
    async () => (output.includes('Press Ctrl-C to stop') ? true : undefined),
    180_000,
    200,
  ).catch(() => {
    throw new Error(`npm start did not come up:\n${output}`);
  });
  running = child;
  return child;
}

/** `npm run token -- <client>` as the README tells a user to run it beside `npm start`. */
async function npmRunToken(port: number, client: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'token', '--', client], {
    cwd: root,
    env: { ...process.env, PORT: String(port), AWS_PORT: String(port + 1) },
  });
  return stdout.trim();
}

/** Ctrl-C: SIGINT to the whole process group, then wait for npm to exit. */
async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-(child.pid as number), 'SIGINT');
  const code = await exited;
  running = undefined;
  return code;
}

/** The Step Functions client an operator would point at the local cloud. */
function opsClient(port: number): SFNClient {
  return new SFNClient({
    endpoint: `http://127.0.0.1:${port + 1}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'ops', secretAccessKey: 'ops' },
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The suite's global setup synthesized these same sources (the same `synthesize()` `npm start`
 * runs, stamped with the same source hash): seeded with it, the first start reuses it instead of
 * bundling every function a second time on a loaded 2-core machine, and its output proves the seed
 * matched. A start that synthesizes is what the global setup itself does.
 */
beforeAll(() => {
  cpSync(inject('assemblyDir'), path.join(home, 'cdk.out'), { recursive: true });
});

afterAll(() => {
  if (running?.pid) process.kill(-running.pid, 'SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/**
 * A free port below Linux's ephemeral range (32768+): `npm start` binds it some 20 s after it was
 * chosen, and in the meantime the other test files' clouds bind ports 0, which the kernel takes
 * from that range, so it could be taken by then otherwise.
 */
async function portOutsideEphemeralRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('npm start', () => {
  it('serves the API and the ops console (its link signed in as ops), confirms tok_visa, fails tok_chargeDeclined, keeps orders and executions across a restart (reusing the synthesized app), and carries the resumed order to DELIVERED', async () => {
    const port = await portOutsideEphemeralRange();
    const api = `http://127.0.0.1:${port}`;
    const first = await npmStart(port);
    expect(output).toContain('Sources unchanged since the last start: reusing its synthesized app.');
    expect((await request(api, 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await request(api, 'GET', '/orders', { token: null })).status).toBe(401);
    // The banner's console link: the page, and an ops token in its fragment the API accepts.
    const link = /Ops console\s+(\S+)/.exec(output)?.[1] ?? '';
    expect(link.startsWith(`${api}/console#token=`)).toBe(true);
    expect((await request(api, 'GET', '/console', { token: null })).status).toBe(200);
    const consoleToken = link.slice(link.indexOf('#token=') + '#token='.length);
    expect((await request(api, 'GET', '/orders', { token: consoleToken })).status).toBe(200);
    // Tokens from the local issuer, as the README shows; the same token still works after the restart.
    const token = await npmRunToken(port, 'ops');
    setDefaultCaller(api, async () => token);
    await stockForOrders(api);

    const visa = await request(api, 'POST', '/orders', {
      body: orderBody(),
      headers: { 'idempotency-key': newKey() },
    });
    expect(visa.status).toBe(201);
    const confirmed = await eventually(async () => {
      const order = await request(api, 'GET', `/orders/${visa.body.id}`);
      const timeline = order.body.timeline as Array<{ status: string }>;
      return timeline.some((t) => t.status === 'CONFIRMED') ? order : undefined;
    }, 10_000);
    expect((confirmed.body.payment as { status: string }).status).toBe('AUTHORIZED');

    const declined = await request(api, 'POST', '/orders', {
      body: orderBody({ payment: { method: 'card', token: 'tok_chargeDeclined' } }),
      headers: { 'idempotency-key': newKey() },
    });
    await eventually(async () => {
      const order = await request(api, 'GET', `/orders/${declined.body.id}`);
      return order.body.status === 'FAILED' ? order : undefined;
    }, 10_000);

    const openapi = await request(api, 'GET', '/openapi.json');
    expect(openapi.body.openapi).toBe('3.1.0');

    // Before the stop: the declined order's execution has ended; the paid one waits for its warehouse.
    const ops = opsClient(port);
    const workflow = (await ops.send(new ListStateMachinesCommand({}))).stateMachines?.find((m) =>
      m.name?.startsWith('OrderWorkflow'),
    );
    await eventually(async () => {
      const { executions = [] } = await ops.send(
        new ListExecutionsCommand({ stateMachineArn: workflow?.stateMachineArn, statusFilter: 'SUCCEEDED' }),
      );
      return executions.length === 1 ? true : undefined;
    }, 10_000);
    await eventually(async () => {
      const order = await request(api, 'GET', `/orders/${visa.body.id}`);
      return order.body.status === 'FULFILLING' ? true : undefined;
    }, 10_000);
    ops.destroy();

    // Ctrl-C stops everything, DynamoDB Local's Java process included.
    const javaPid = Number(readFileSync(path.join(home, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    expect(alive(javaPid)).toBe(true);
    await ctrlC(first);
    expect(output).toContain('SIGINT: stopping');
    await eventually(async () => (alive(javaPid) ? undefined : true), 10_000);

    // Started again, the same data is there, and the waiting execution is back at its warehouse wait.
    await npmStart(port);
    expect(output).toContain('Sources unchanged since the last start: reusing its synthesized app.');
    expect(output).toMatch(/Resuming\s+1 execution/);
    await eventually(async () => {
      const order = await request(api, 'GET', `/orders/${visa.body.id}`);
      return order.body.status === 'FULFILLING' ? true : undefined;
    }, 10_000);
    const sfn = opsClient(port);
    const machine = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.find((m) =>
      m.name?.startsWith('OrderWorkflow'),
    );
    const listed = async () =>
      (
        (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine?.stateMachineArn })))
          .executions ?? []
      ).map((e) => [e.name, e.status]);
    expect((await listed()).sort()).toEqual(
      [
        [visa.body.id, 'RUNNING'],
        [declined.body.id, 'SUCCEEDED'],
      ].sort(),
    );
    const declinedExecution = (
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine?.stateMachineArn }))).executions ??
      []
    ).find((e) => e.name === declined.body.id);
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: declinedExecution?.executionArn }),
    );
    expect(history.events?.[0]?.type).toBe('ExecutionStarted');
    expect(history.events?.at(-1)?.type).toBe('ExecutionSucceeded');

    // The warehouse packs, the carrier delivers: the resumed execution carries the order to DELIVERED.
    const shipmentId = `${visa.body.id}-1`;
    await eventually(
      async () => ((await reportPacked(api, shipmentId)).status === 200 ? true : undefined),
      10_000,
    );
    const shipped = await eventually(async () => {
      const [shipment] = await shipmentsOf(api, String(visa.body.id));
      return shipment?.status === 'SHIPPED' ? shipment : undefined;
    }, 15_000);
    // The carrier signs with the secret ops read from Secrets Manager and handed over.
    await learnCarrierSecrets(`http://127.0.0.1:${port + 1}`);
    const delivered = await postDelivered(api, shipped);
    expect(delivered.status).toBe(200);
    await eventually(async () => {
      const executions = await listed();
      return executions.some(([name, status]) => name === visa.body.id && status === 'SUCCEEDED')
        ? true
        : undefined;
    }, 15_000);
    expect((await request(api, 'GET', `/orders/${visa.body.id}`)).body.status).toBe('DELIVERED');
    sfn.destroy();
    if (running) await ctrlC(running);
  }, 240_000);
});
