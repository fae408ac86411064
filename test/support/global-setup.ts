import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb';
import { synthesize } from '../../infra/local/synthesize';
import { processesMarked, RUN_MARKER } from './processes';

declare module 'vitest' {
  export interface ProvidedContext {
    assemblyDir: string;
    stackName: string;
    /** The run's DynamoDB Local, one database per access key: each cloud or test table has its own. */
    dynamodbEndpoint: string;
  }
}

/** Vitest's own workers carry the marker too; they end with the run itself. */
const isVitestWorker = (command: string) => /vitest|tinypool/.test(command);

/**
 * Synthesizes the CDK app once, bundles included; every integration test runs that assembly.
 * Starts one DynamoDB Local for the run, whose warm JVM every in-memory local cloud and adapter
 * test shares, each in a database of its own. Marks the run in the environment every process it starts inherits, and at the end asserts no
 * such process outlived it: no DynamoDB Local, no `npm start`, no watchdog left behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = randomUUID();
  process.env[RUN_MARKER] = run;
  const outdir = path.resolve(import.meta.dirname, '../../.oms/test-assembly');
  const { assemblyDir, stackName } = synthesize(outdir);
  project.provide('assemblyDir', assemblyDir);
  project.provide('stackName', stackName);
  const dynamodb = await startDynamoDbLocal({ databasePerKey: true });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
    // A process stopping as the last test ends gets a moment (the watchdog's SIGTERM grace is 5 s).
    const deadline = Date.now() + 10_000;
    const found = () => processesMarked(run, [process.pid]).filter((p) => !isVitestWorker(p.command));
    let strays = found();
    while (strays.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      strays = found();
    }
    if (strays.length > 0) {
      throw new Error(
        `The test run left processes behind:\n${strays.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`,
      );
    }
  };
}
