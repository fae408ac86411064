import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { ClientCredentialsToken } from '../../infra/local/client-credentials';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../../infra/local/local-cloud';
import { clientsFor } from './aws-clients';
import { learnCarrierSecrets } from './carriers';
import { setDefaultCaller } from './http';

/**
 * Function logs are noise in test output (OMS_TEST_LOGS=1 shows them all), except when a test
 * fails: the last error lines are kept and printed with the failure, so a flake on CI says why.
 */
const errorLines: string[] = [];
const sink = new Writable({
  write: (chunk: Buffer, _encoding, done) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (/"level":"ERROR"|Error|failed/.test(line)) errorLines.push(line.slice(0, 2_000));
    errorLines.splice(0, Math.max(0, errorLines.length - 50));
    done();
  },
});

/**
 * The local cloud on free ports running the synthesized app, its tables in a database of its own
 * in the run's DynamoDB Local (or in a DynamoDB Local of its own on disk, with `dataDir`).
 */
export async function startTestCloud(
  options: Pick<
    LocalCloudOptions,
    'dataDir' | 'functionLogs' | 'meterDynamoDb' | 'retryIntervalOverrides'
  > = {},
): Promise<LocalCloud> {
  const cloud = await startLocalCloud({
    assemblyDir: inject('assemblyDir'),
    stackName: inject('stackName'),
    port: 0,
    functionLogs: process.env.OMS_TEST_LOGS ? process.stdout : sink,
    ...(options.dataDir ? {} : { sharedDynamoDbEndpoint: inject('dynamodbEndpoint') }),
    ...options,
  });
  await learnCarrierSecrets(cloud.awsEndpoint);
  const ops = await ClientCredentialsToken.named(cloud.awsEndpoint, 'ops');
  setDefaultCaller(cloud.apiUrl, () => ops.token());
  return cloud;
}

/** One local cloud for the whole test file, with SDK clients pointed at it. */
export function useTestCloud(
  options: Pick<LocalCloudOptions, 'functionLogs' | 'meterDynamoDb' | 'retryIntervalOverrides'> = {},
): {
  cloud: LocalCloud;
  aws: ReturnType<typeof clientsFor>;
} {
  const env = {} as { cloud: LocalCloud; aws: ReturnType<typeof clientsFor> };
  beforeAll(async () => {
    env.cloud = await startTestCloud(options);
    env.aws = clientsFor(env.cloud);
  });
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && errorLines.length > 0)
      console.error(`Function errors before this failure:\n${errorLines.join('\n')}`);
    errorLines.length = 0;
  });
  afterAll(async () => {
    env.aws?.destroy();
    await env.cloud?.stop();
  });
  return env;
}
