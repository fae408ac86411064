import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PROJECT_ROOT } from '../infra/constructs/oms-function';
import { ClientCredentialsToken } from '../infra/local/client-credentials';
import { LOCAL_CREDENTIALS } from '../infra/local/dynamodb';
import { type LocalCloud, startLocalCloud } from '../infra/local/local-cloud';
import { startSimulators } from '../infra/local/simulators';
import { synthesize } from '../infra/local/synthesize';
import { usageBetween } from '../infra/local/usage';
import { allocationBenchmark } from './allocation';
import { cpuMeter, cpuPerOrder } from './cpu';
import { BENCH_ORDER, omsOrderBody, omsPeer, peerFromFlags, placeThrough } from './peers';
import { formatRow, percentile, runConcurrently } from './stats';
import { measuredUsage, saveUsage, USAGE_FILE } from './usage-file';
import { formatPurposes, writesByPurpose } from './write-purposes';

/**
 * `npm run bench -- --orders N --concurrency C`: places N orders at concurrency C against the
 * local cloud and prints orders/s and latency percentiles beside DynamoDB Local's raw write
 * rate measured in the same run (the storage floor the OMS is compared with).
 */
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    // `--writes-only`: just the metered run of writes per delivered order (quick, while cutting writes).
    'writes-only': { type: 'boolean', default: false },
    // `--peer oms|medusa --peer-url URL`: the same orders placed through a second system, side by side.
    peer: { type: 'string' },
    'peer-url': { type: 'string' },
  },
});
const orders = Number(values.orders);
const concurrency = Number(values.concurrency);

const body = JSON.stringify(omsOrderBody(BENCH_ORDER));

async function storageFloor(endpoint: string) {
  const db = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  await db.send(
    new CreateTableCommand({
      TableName: 'BenchFloor',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }),
  );
  const item = (pk: string) => marshall({ pk, payload: body, createdAt: new Date().toISOString() });
  // Passes not counted first, for at least 20 s: a cold JVM (interpreted, then C1) would put the
  // floor far too low; C2 takes over from about the 15th second (bench/jvm-warmup.ts).
  const warmUntil = performance.now() + 20_000;
  do {
    await runConcurrently('warm-up', Math.min(orders, 500), concurrency, async () => {
      await db.send(new PutItemCommand({ TableName: 'BenchFloor', Item: item(randomUUID()) }));
    });
  } while (performance.now() < warmUntil);
  const puts = await runConcurrently(
    'DynamoDB Local PutItem (order-sized)',
    orders,
    concurrency,
    async () => {
      await db.send(new PutItemCommand({ TableName: 'BenchFloor', Item: item(randomUUID()) }));
    },
  );
  const transactions = await runConcurrently(
    'DynamoDB Local 2-item TransactWriteItems',
    orders,
    concurrency,
    async () => {
      const id = randomUUID();
      await db.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'BenchFloor',
                Item: item(`o-${id}`),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: 'BenchFloor',
                Item: item(`k-${id}`),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    },
  );
  db.destroy();
  return { puts, transactions };
}

/** One order at a time on an otherwise idle system: POST until GET shows CONFIRMED. */
async function placeToConfirmed(apiUrl: string, count: number) {
  return runConcurrently('Place -> CONFIRMED visible (sequential)', count, 1, async () => {
    const id = await placeBenchOrder(apiUrl);
    for (;;) {
      const order = (await (await apiFetch(`${apiUrl}/orders/${id}`)).json()) as {
        timeline: Array<{ status: string }>;
      };
      if (order.timeline.some((t) => t.status === 'CONFIRMED')) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
}

/** Orders placed and carried to DELIVERED by the simulated warehouse and carriers, at zero delay. */
async function fullLifecycle(cloud: LocalCloud, count: number, concurrency: number, transitDelayMs = 0) {
  const simulators = startSimulators(cloud, { pickDelayMs: 0, transitDelayMs });
  const ids: string[] = [];
  const started = performance.now();
  await runConcurrently('lifecycle', count, concurrency, async () => {
    ids.push(await placeBenchOrder(cloud.apiUrl));
  });
  do {
    await simulators.idle();
    await cloud.idle();
  } while (simulators.busy());
  const seconds = (performance.now() - started) / 1000;
  simulators.stop();
  const statuses = await Promise.all(
    ids.map(
      async (id) =>
        ((await (await apiFetch(`${cloud.apiUrl}/orders/${id}`)).json()) as { status: string }).status,
    ),
  );
  const machineArn = [...cloud.stepFunctions.definitions().keys()].find((arn) =>
    arn.includes(':stateMachine:OrderWorkflow'),
  );
  const history = await cloud.stepFunctions.getExecutionHistory({
    executionArn: `${String(machineArn).replace(':stateMachine:', ':execution:')}:${ids[0]}`,
  });
  const transitions = history.events.filter((e) => String(e.type).endsWith('StateEntered')).length;
  return { count, seconds, delivered: statuses.filter((s) => s === 'DELIVERED').length, transitions };
}

/** The bench's warehouse, stocked for every order the run places. */
async function stockUp(cloud: LocalCloud): Promise<void> {
  await apiFetch(`${cloud.apiUrl}/locations/bench-cd`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench CD',
      type: 'warehouse',
      address: { country: 'BR', lat: -23.5, lon: -46.6 },
    }),
  });
  for (const sku of ['TSHIRT-RED-M', 'MUG-01']) {
    await apiFetch(`${cloud.apiUrl}/inventory/${sku}/locations/bench-cd`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ onHand: orders * 10 }),
    });
  }
}

/**
 * Counts per order by stage (the function, its Function<hash> suffix dropped) from two readings of
 * the meter keyed `caller detail`, the stages with the most first.
 */
function perStage(after: Map<string, number>, before: Map<string, number>, orders: number) {
  const stages = new Map<string, { total: number; details: string[] }>();
  for (const [key, n] of after) {
    const [caller = '', detail = ''] = key.split(' ');
    const perOrder = (n - (before.get(key) ?? 0)) / orders;
    if (perOrder === 0) continue;
    const stage = caller.replace(/Function[0-9A-F]{8}.*$/, '');
    const row = stages.get(stage) ?? { total: 0, details: [] };
    row.total += perOrder;
    row.details.push(`${detail} ${perOrder.toFixed(1)}`);
    stages.set(stage, row);
  }
  const rows = [...stages].sort((a, b) => b[1].total - a[1].total);
  return { rows, total: rows.reduce((sum, [, r]) => sum + r.total, 0) };
}

/**
 * DynamoDB item writes and requests per delivered single-shipment order, by the function (stage) that made
 * them and the local cloud's own (the execution journal), on a second cloud whose DynamoDB is
 * metered: the hop would slow the throughput runs above.
 */
async function writesPerOrder(assemblyDir: string, stackName: string, logs: Writable, count: number) {
  const cloud = await startLocalCloud({
    assemblyDir,
    stackName,
    port: 0,
    functionLogs: logs,
    meterDynamoDb: true,
  });
  try {
    const ops = await ClientCredentialsToken.named(cloud.awsEndpoint, 'ops');
    opsToken = () => ops.token();
    await stockUp(cloud);
    const meter = cloud.dynamoMeter;
    if (!meter) throw new Error('the metered cloud has no meter');
    const before = { writes: meter.writesByKind(), requests: meter.requests(), usage: cloud.usage() };
    // A parcel's scans a little apart, as real ones come: the simulated carrier sends each after
    // the last was answered, so retried writes come from the design's races, not the simulator's.
    const lifecycle = await fullLifecycle(cloud, count, 4, 250);
    const writes = perStage(meter.writesByKind(), before.writes, count);
    const purposes = writesByPurpose(meter.writesByKind(), before.writes, count);
    const requests = perStage(meter.requests(), before.requests, count);
    saveUsage({
      measuredAt: new Date().toISOString(),
      scenario: `${count} bench orders (2 lines, one shipment) placed, packed and delivered by the simulators`,
      usage: measuredUsage(usageBetween(before.usage, cloud.usage()), count),
    });
    return { writes, purposes, requests, delivered: lifecycle.delivered, count };
  } finally {
    await cloud.stop();
  }
}

/**
 * `npm start` after a load: `count` orders placed on a cloud that keeps its data on disk, each
 * execution left waiting at the warehouse; the cloud stopped, then started again on that data
 * and timed until it answers, its executions resumed.
 */
async function restartWithWaiting(assemblyDir: string, stackName: string, logs: Writable, count: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-bench-'));
  try {
    const first = await startLocalCloud({ assemblyDir, stackName, port: 0, functionLogs: logs, dataDir });
    try {
      const ops = await ClientCredentialsToken.named(first.awsEndpoint, 'ops');
      opsToken = () => ops.token();
      await stockUp(first);
      await runConcurrently('placed to wait', count, concurrency, async () => {
        await placeBenchOrder(first.apiUrl);
      });
      await first.idle();
    } finally {
      await first.stop();
    }
    const started = performance.now();
    const again = await startLocalCloud({ assemblyDir, stackName, port: 0, functionLogs: logs, dataDir });
    const seconds = (performance.now() - started) / 1000;
    await again.stepFunctions.resumed();
    const allBack = (performance.now() - started) / 1000;
    const { resumedExecutions: resumed, startup } = again;
    await again.stop();
    return { seconds, allBack, resumed, startup };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A process's resident memory from /proc (Linux), or why it is not known. */
function rssMiB(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return `${(kib / 1024).toFixed(0)} MiB RSS`;
  } catch {
    return 'RSS unknown (no /proc)';
  }
}

/** The caller every bench request authenticates as (the local cloud's ops client), set at start. */
let opsToken: () => Promise<string> = async () => '';

/** The bench's order placed through the OMS's POST /orders as the ops client; its id. */
function placeBenchOrder(apiUrl: string): Promise<string> {
  return omsPeer(apiUrl, () => opsToken()).placeOrder(BENCH_ORDER);
}

/** fetch with the ops client's bearer token. */
async function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await opsToken()}`);
  return fetch(url, { ...init, headers });
}

/** Placement, lifecycle and reservation throughput beside the storage floor, on an unmetered cloud. */
/** What the summary of targets reads from the throughput run. */
interface ThroughputFigures {
  floorPutsPerSecond: number;
  floorPutP99Ms: number;
  /** A placement writes the order and its idempotency record in one 2-item transaction. */
  floorTransactionP99Ms: number;
  placementsPerSecond: number;
  placementP99Ms: number;
  deliveredPerSecond: number;
  transitions: number;
}

async function throughput(
  assemblyDir: string,
  stackName: string,
  quiet: Writable,
): Promise<ThroughputFigures> {
  const cloud = await startLocalCloud({ assemblyDir, stackName, port: 0, functionLogs: quiet });
  try {
    const ops = await ClientCredentialsToken.named(cloud.awsEndpoint, 'ops');
    opsToken = () => ops.token();
    const floor = await storageFloor(cloud.dynamodbEndpoint);

    await stockUp(cloud);
    const placing = cpuMeter(cloud.dynamodbPid);
    const place = await runConcurrently('OMS POST /orders (201)', orders, concurrency, async () => {
      await placeBenchOrder(cloud.apiUrl);
    });
    const drainStarted = performance.now();
    await cloud.idle();
    const lifecycleSeconds = place.seconds + (performance.now() - drainStarted) / 1000;
    const toWaiting = placing();
    const confirmLatency = await placeToConfirmed(cloud.apiUrl, Math.min(50, orders));

    const check = await apiFetch(`${cloud.apiUrl}/orders?status=FULFILLING&limit=100`);
    const confirmedSample = ((await check.json()) as { items: unknown[] }).items.length;

    const peer = values.peer
      ? await placeThrough(
          peerFromFlags(values.peer, values['peer-url'] ?? '', process.env),
          orders,
          concurrency,
        )
      : undefined;

    console.log('');
    console.log(formatRow(floor.puts));
    console.log(formatRow(floor.transactions));
    console.log(formatRow(place));
    if (peer) {
      console.log(formatRow(peer));
      console.log(
        `${peer.label}: ${peer.count - peer.failed} of ${peer.count} placed${peer.firstError ? ` (first refusal: ${peer.firstError})` : ''}`,
      );
    }
    console.log('');
    const placeRate = orders / place.seconds;
    const floorRate = orders / floor.transactions.seconds;
    console.log(`OMS placement vs 2-item transaction floor: ${((placeRate / floorRate) * 100).toFixed(0)}%`);
    console.log(
      `OMS placement vs PutItem floor:            ${((placeRate / (orders / floor.puts.seconds)) * 100).toFixed(0)}%`,
    );
    console.log(
      `Placed -> waiting at the warehouse (confirmed, allocated, routed, pick requested): ${(orders / lifecycleSeconds).toFixed(0)} orders/s (${orders} in ${lifecycleSeconds.toFixed(1)} s; ${confirmedSample >= Math.min(100, orders) ? 'all waiting' : 'NOT all waiting'})`,
    );
    console.log(`  ${cpuPerOrder(toWaiting, orders)}`);

    console.log(formatRow(confirmLatency));
    console.log(
      `Place -> CONFIRMED p95 ${percentile(confirmLatency.latenciesMs, 95).toFixed(0)} ms (target: under 1,000 ms on an idle system)`,
    );

    const table = cloud.template.resourcesOfType('AWS::DynamoDB::GlobalTable')[0]?.logicalId ?? '';
    const allocation = await allocationBenchmark(cloud.dynamodbEndpoint, table, orders, concurrency);
    console.log('');
    console.log(formatRow(allocation.hot));
    console.log(formatRow(allocation.spread));
    const floorTx = orders / floor.transactions.seconds;
    console.log(
      `Reservations vs 2-item transaction floor: hot SKU ${((orders / allocation.hot.seconds / floorTx) * 100).toFixed(0)}%, 1,000 SKUs ${((orders / allocation.spread.seconds / floorTx) * 100).toFixed(0)}%; invariant check ${allocation.clean ? 'clean' : 'DRIFT FOUND'}`,
    );
    const delivering = cpuMeter(cloud.dynamodbPid);
    const lifecycle = await fullLifecycle(cloud, Math.min(orders, 200), concurrency);
    const toDelivered = delivering();
    console.log('');
    console.log(
      `Placed -> DELIVERED (simulators at zero delay): ${(lifecycle.count / lifecycle.seconds).toFixed(1)} orders/s (${lifecycle.count} in ${lifecycle.seconds.toFixed(1)} s; ${lifecycle.delivered === lifecycle.count ? 'all delivered' : `ONLY ${lifecycle.delivered} delivered`})`,
    );
    console.log(`  ${cpuPerOrder(toDelivered, lifecycle.count)}`);
    console.log(
      `Standard state transitions per delivered order: ${lifecycle.transitions} (one shipment; billed per transition on AWS)`,
    );
    console.log(
      `Memory under load: local cloud (this process, its ${[...cloud.lambdas.values()].filter((l) => l.started).length} function workers included) ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB RSS, DynamoDB Local (Java) ${rssMiB(cloud.dynamodbPid)}`,
    );
    return {
      floorPutsPerSecond: orders / floor.puts.seconds,
      floorPutP99Ms: percentile(floor.puts.latenciesMs, 99),
      floorTransactionP99Ms: percentile(floor.transactions.latenciesMs, 99),
      placementsPerSecond: placeRate,
      placementP99Ms: percentile(place.latenciesMs, 99),
      deliveredPerSecond: lifecycle.count / lifecycle.seconds,
      transitions: lifecycle.transitions,
    };
  } finally {
    await cloud.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `Benchmark: ${orders} orders at concurrency ${concurrency} (node ${process.version}, ${new Date().toISOString()})`,
  );
  const { assemblyDir, stackName } = synthesize(path.join(PROJECT_ROOT, '.oms', 'bench-assembly'));
  // BENCH_FUNCTION_LOGS=<file> keeps the functions' logs for a look after a run; dropped otherwise.
  const quiet = process.env.BENCH_FUNCTION_LOGS
    ? createWriteStream(process.env.BENCH_FUNCTION_LOGS)
    : new Writable({ write: (_c, _e, done) => done() });
  const figures = values['writes-only'] ? undefined : await throughput(assemblyDir, stackName, quiet);
  const metered = await writesPerOrder(assemblyDir, stackName, quiet, 20);
  const { writes, requests } = metered;
  console.log('');
  console.log(
    `DynamoDB item writes per delivered single-shipment order: ${writes.total.toFixed(1)} (target: at most 20; ${metered.delivered} of ${metered.count} delivered, metered cloud)`,
  );
  for (const [stage, row] of writes.rows)
    console.log(`  ${stage.padEnd(24)} ${row.total.toFixed(1).padStart(5)}  (${row.details.join(', ')})`);
  console.log(`  by purpose: ${formatPurposes(metered.purposes)}`);
  console.log(
    `DynamoDB requests per delivered single-shipment order, reads included (DynamoDB Local's time goes per request): ${requests.total.toFixed(1)}`,
  );
  for (const [stage, row] of requests.rows)
    console.log(`  ${stage.padEnd(24)} ${row.total.toFixed(1).padStart(5)}  (${row.details.join(', ')})`);
  console.log(
    `What these orders used on AWS's terms is in ${path.relative(process.cwd(), USAGE_FILE)}: npm run cost prices it.`,
  );
  if (!figures) return;
  const restart = await restartWithWaiting(assemblyDir, stackName, quiet, orders);
  console.log('');
  console.log(
    `Start with ${restart.resumed} waiting executions to resume: serving after ${restart.seconds.toFixed(1)} s (target: under 10 s for 1,000), every execution back after ${restart.allBack.toFixed(1)} s`,
  );
  console.log(
    `  ${Object.entries(restart.startup)
      .map(([part, ms]) => `${part} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  printTargets(figures, metered, restart);
}

/**
 * The performance targets side by side with this run's figures, each bound computed from the
 * storage floor measured in the same run. A placement's writes are the PlaceOrder function's
 * plus the execution record its StartExecution journals.
 */
function printTargets(
  figures: ThroughputFigures,
  metered: Awaited<ReturnType<typeof writesPerOrder>>,
  restart: Awaited<ReturnType<typeof restartWithWaiting>>,
) {
  const placeWrites = (metered.writes.rows.find(([stage]) => stage === 'PlaceOrder')?.[1].total ?? 0) + 1;
  const placeBound = (0.5 * figures.floorPutsPerSecond) / placeWrites;
  const deliveredBound = (0.5 * figures.floorPutsPerSecond) / metered.writes.total;
  const rows: Array<[string, string, boolean]> = [
    [
      `POST /orders p99 at ${concurrency}-way under 50 ms (floor p99: PutItem ${figures.floorPutP99Ms.toFixed(0)} ms, 2-item transaction ${figures.floorTransactionP99Ms.toFixed(0)} ms)`,
      `${figures.placementP99Ms.toFixed(0)} ms`,
      figures.placementP99Ms < 50,
    ],
    [
      `placement >= 0.5 x floor / ${placeWrites.toFixed(1)} writes = ${placeBound.toFixed(0)}/s`,
      `${figures.placementsPerSecond.toFixed(0)}/s`,
      figures.placementsPerSecond >= placeBound,
    ],
    [
      `placed -> DELIVERED >= 0.5 x floor / ${metered.writes.total.toFixed(1)} writes = ${deliveredBound.toFixed(1)}/s`,
      `${figures.deliveredPerSecond.toFixed(1)}/s`,
      figures.deliveredPerSecond >= deliveredBound,
    ],
    [
      'DynamoDB writes per delivered order <= 20',
      metered.writes.total.toFixed(1),
      metered.writes.total <= 20,
    ],
    [
      `start with ${restart.resumed} waiting executions serving < 10 s`,
      `${restart.seconds.toFixed(1)} s`,
      restart.seconds < 10,
    ],
    [
      'Standard transitions per single-shipment order <= 5',
      String(figures.transitions),
      figures.transitions <= 5,
    ],
  ];
  console.log('');
  console.log(
    `Targets (floor: ${figures.floorPutsPerSecond.toFixed(0)} PutItem/s at ${concurrency}-way, this run)`,
  );
  for (const [target, figure, met] of rows)
    console.log(`  ${met ? 'met    ' : 'NOT MET'}  ${target.padEnd(96)} ${figure}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
