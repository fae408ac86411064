import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../infra/constructs/oms-function';
import { AWS_PRICES } from '../shared/contracts/aws-prices';
import { costPer1000 } from '../shared/domain/cost-to-serve';
import { loadUsage } from './usage-file';

/** The console shows this report (built into its bundle): the cost to serve of the release it ships with. */
export const CONSOLE_REPORT = path.join(PROJECT_ROOT, 'console', 'cost-report.json');
/** The README's target for a single-shipment order, all in. */
const TARGET_USD_PER_1000 = 0.15;

/**
 * `npm run cost`: the usage the last `npm run bench` measured, priced with AWS list prices
 * (shared/contracts/aws-prices.ts), per 1,000 orders; `--no-console` leaves console/cost-report.json alone.
 */
function main(): void {
  const { values } = parseArgs({ options: { 'no-console': { type: 'boolean', default: false } } });
  const record = loadUsage();
  const report = costPer1000(record.usage, AWS_PRICES);
  const usd = (n: number) => `$${n.toFixed(n < 0.01 ? 5 : 4)}`;
  const quantity = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  console.log(
    `Cost to serve per 1,000 orders (${record.scenario}; measured ${record.measuredAt} over ${record.usage.orders} orders)`,
  );
  console.log(
    `Prices: ${report.prices.version} (${report.prices.region}, checked ${report.prices.checkedOn})\n`,
  );
  for (const line of report.lines)
    console.log(
      `  ${line.item.padEnd(26)} ${quantity(line.quantity).padStart(10)} ${line.unit.padEnd(22)} ${usd(line.usd).padStart(10)}`,
    );
  console.log(`  ${'Total'.padEnd(60)} ${usd(report.totalUsd).padStart(10)}`);
  console.log(
    `\nTarget: at most $${TARGET_USD_PER_1000.toFixed(2)} per 1,000 single-shipment orders: ${report.totalUsd <= TARGET_USD_PER_1000 ? 'met' : 'NOT MET'}`,
  );
  console.log('\nLambda by function (per 1,000 orders):');
  for (const fn of report.byFunction)
    console.log(
      `  ${fn.name.padEnd(26)} ${quantity(fn.invocations).padStart(8)} invocations ${quantity(fn.gbSeconds).padStart(8)} GB-s ${usd(fn.usd).padStart(10)}`,
    );
  console.log(`\nNot counted: ${report.notCounted.join('; ')}.`);
  if (!values['no-console']) {
    writeFileSync(
      CONSOLE_REPORT,
      `${JSON.stringify({ measuredAt: record.measuredAt, scenario: record.scenario, targetUsdPer1000: TARGET_USD_PER_1000, ...report }, null, 2)}\n`,
    );
    console.log(`\nWrote ${path.relative(PROJECT_ROOT, CONSOLE_REPORT)} (the console's Cost page).`);
  }
}

main();
