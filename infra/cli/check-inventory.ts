/**
 * `npm run check-inventory [-- --url http://127.0.0.1:3000]`: asks a running OMS for its inventory
 * invariant report, prints it, and exits 1 when anything drifted (for cron jobs and CI).
 */
import { parseArgs } from 'node:util';
import { opsAuthorization } from './ops-token';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:3000' } } });
const response = await fetch(`${values.url}/ops/inventory-check`, {
  headers: { authorization: await opsAuthorization(String(values.url)) },
});
const report = (await response.json()) as {
  ok: boolean;
  counted: object;
  drift: Array<Record<string, unknown>>;
};
console.log(JSON.stringify(report, null, 2));
process.exit(response.ok && report.ok ? 0 : 1);
