import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, startDynamoDbLocal, stringKeyedTable } from '../infra/local/dynamodb';

/**
 * `npx tsx bench/jvm-warmup.ts [--seconds 60]`: how a fresh DynamoDB Local warms up under the
 * local cloud's JVM options: two-item transactions at 8-way, the rate printed per 5 s window.
 * Run it again with `JAVA_TOOL_OPTIONS=...` (applied after ours) to compare JVM settings.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const runMs = Number(values.seconds) * 1000;
const WINDOW_MS = 5000;

const db = await startDynamoDbLocal();
try {
  await ensureTables(db.client, [stringKeyedTable('Warmup', 'pk')]);
  const item = (pk: string) => ({ pk: { S: pk }, body: { S: 'x'.repeat(400) } });
  const put = (pk: string) => ({
    Put: { TableName: 'Warmup', Item: item(pk), ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const started = performance.now();
  const perWindow: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() - started < runMs) {
        const id = randomUUID();
        await db.client.send(
          new TransactWriteItemsCommand({ TransactItems: [put(`o-${id}`), put(`k-${id}`)] }),
        );
        const window = Math.floor((performance.now() - started) / WINDOW_MS);
        perWindow[window] = (perWindow[window] ?? 0) + 1;
      }
    }),
  );
  const rates = Array.from(perWindow, (n) => ((n ?? 0) / (WINDOW_MS / 1000)).toFixed(0));
  console.log(`JAVA_TOOL_OPTIONS of the run: ${process.env.JAVA_TOOL_OPTIONS ?? '(none of yours)'}`);
  console.log(`two-item transactions/s per ${WINDOW_MS / 1000} s window: ${rates.join(' ')}`);
  console.log(`total: ${perWindow.reduce((a, b) => a + (b ?? 0), 0)} in ${values.seconds} s`);
} finally {
  await db.stop();
}
