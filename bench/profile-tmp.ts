import * as path from 'node:path';
import { Writable } from 'node:stream';
import { PROJECT_ROOT } from '../infra/constructs/oms-function';
import { ClientCredentialsToken } from '../infra/local/client-credentials';
import { startLocalCloud } from '../infra/local/local-cloud';
import { startSimulators } from '../infra/local/simulators';
import { synthesize } from '../infra/local/synthesize';
import { BENCH_ORDER, omsPeer } from './peers';
import { runConcurrently } from './stats';

const { assemblyDir, stackName } = synthesize(path.join(PROJECT_ROOT, '.oms', 'bench-assembly'));
const quiet = new Writable({ write: (_c, _e, done) => done() });
const cloud = await startLocalCloud({ assemblyDir, stackName, port: 0, functionLogs: quiet });
const ops = await ClientCredentialsToken.named(cloud.awsEndpoint, 'ops');
const auth = async () => ({ authorization: `Bearer ${await ops.token()}` });
await fetch(`${cloud.apiUrl}/locations/bench-cd`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json', ...(await auth()) },
  body: JSON.stringify({
    name: 'Bench CD',
    type: 'warehouse',
    address: { country: 'BR', lat: -23.5, lon: -46.6 },
  }),
});
for (const sku of ['TSHIRT-RED-M', 'MUG-01'])
  await fetch(`${cloud.apiUrl}/inventory/${sku}/locations/bench-cd`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'idempotency-key': sku + Date.now(), ...(await auth()) },
    body: JSON.stringify({ onHand: 100000 }),
  });
const n = Number(process.env.N ?? 100);
const sims = startSimulators(cloud, { pickDelayMs: 0, transitDelayMs: 0 });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await runConcurrently('lifecycle', n, 8, async () => {
  await omsPeer(cloud.apiUrl, () => ops.token()).placeOrder(BENCH_ORDER);
});
do {
  await sims.idle();
  await cloud.idle();
} while (sims.busy());
const cpu = process.cpuUsage(cpu0);
console.log(
  `${n} delivered in ${((performance.now() - t0) / 1000).toFixed(1)} s; node cpu user ${(cpu.user / 1e6).toFixed(1)} s sys ${(cpu.system / 1e6).toFixed(1)} s`,
);
sims.stop();
await cloud.stop();
