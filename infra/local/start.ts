import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../constructs/oms-function';
import { type LocalCloud, startLocalCloud } from './local-cloud';
import { startSimulators } from './simulators';
import { synthesize } from './synthesize';

/**
 * `npm start`: synthesize the CDK app, then run it on this machine until Ctrl-C.
 * `npm start -- --simulate [--pick-delay-ms 2000] [--transit-delay-ms 3000]` adds a simulated
 * warehouse and carriers, so orders flow to DELIVERED by themselves.
 */
async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      simulate: { type: 'boolean', default: false },
      'pick-delay-ms': { type: 'string', default: '2000' },
      'transit-delay-ms': { type: 'string', default: '3000' },
    },
  });
  const stateDir = path.resolve(process.env.OMS_HOME ?? path.join(PROJECT_ROOT, '.oms'));
  const port = Number(process.env.PORT || 3000);
  const started = Date.now();
  console.log('Synthesizing the CDK app...');
  const { assemblyDir, stackName, reused } = synthesize(path.join(stateDir, 'cdk.out'));
  if (reused) console.log('Sources unchanged since the last start: reusing its synthesized app.');
  const cloud = await startLocalCloud({
    assemblyDir,
    stackName,
    port,
    awsPort: Number(process.env.AWS_PORT || port + 1),
    dataDir: path.join(stateDir, 'dynamodb'),
    mailDir: path.join(stateDir, 'mail'),
  });
  const simulators = flags.simulate
    ? startSimulators(cloud, {
        pickDelayMs: Number(flags['pick-delay-ms']),
        transitDelayMs: Number(flags['transit-delay-ms']),
      })
    : undefined;
  const consoleUrl = await consoleLink(cloud);
  console.log(`
OMS local cloud is up in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${stateDir})
  HTTP API        ${cloud.apiUrl}          (try ${cloud.apiUrl}/health, ${cloud.apiUrl}/openapi.json)
  Ops console     ${consoleUrl}
                  (signed in as ops for 12 h; the token rides in the fragment, which no server sees)
  Step Functions  ${cloud.awsEndpoint}     (AWS_ENDPOINT_URL_SFN)
  EventBridge     ${cloud.awsEndpoint}     (AWS_ENDPOINT_URL_EVENTBRIDGE)
  DynamoDB        ${cloud.dynamodbEndpoint}     (AWS_ENDPOINT_URL_DYNAMODB)
  SES (email)     ${cloud.awsEndpoint}     (AWS_ENDPOINT_URL_SESV2; mail lands in ${path.join(stateDir, 'mail')})
  Secrets Manager ${cloud.awsEndpoint}     (AWS_ENDPOINT_URL_SECRETS_MANAGER; carriers' webhook secrets)
  Auth            tokens per caller: npm run -s token -- <${cloud.cognito
    .clients()
    .map((c) => c.clientName)
    .join('|')}>  (token endpoint ${cloud.awsEndpoint}/oauth2/token)
                  e.g. curl -H "authorization: Bearer $(npm run -s token -- ops)" ${cloud.apiUrl}/orders
  Routes          ${cloud.routes.map((r) => r.routeKey).join(', ')}
  Resuming        ${cloud.resumedExecutions} execution(s) that were running when the last run stopped (in the background)
  Simulators      ${simulators ? `warehouse packs after ${flags['pick-delay-ms']} ms, carriers move parcels every ${flags['transit-delay-ms']} ms` : 'off (npm start -- --simulate to let orders flow to DELIVERED)'}
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (running executions resume at the next start)...`);
    simulators?.stop();
    await cloud.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The console's address with a fresh ops token in its fragment: one click from the terminal to the orders. */
async function consoleLink(cloud: LocalCloud): Promise<string> {
  const ops = cloud.cognito.clients().find((c) => c.clientName === 'ops');
  if (!ops) return `${cloud.apiUrl}/console (no ops client in the template: sign in with a token)`;
  const { token } = await cloud.cognito.issueToken(ops.clientId, { lifetimeSeconds: 12 * 3600 });
  return `${cloud.apiUrl}/console#token=${token}`;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
