import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../infra/local/dynamodb';
import { DynamoInventoryLedger } from '../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants, countStock } from '../shared/domain/inventory';
import { type RunResult, runConcurrently } from './stats';

/**
 * Reservations/s of the ledger itself (the Allocate stage's DynamoDB transaction) on one hot SKU,
 * where every reservation conflicts with every other, and spread over 1,000 SKUs.
 */
export async function allocationBenchmark(
  endpoint: string,
  tableName: string,
  count: number,
  concurrency: number,
): Promise<{ hot: RunResult; spread: RunResult; clean: boolean }> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const ledger = new DynamoInventoryLedger(DynamoDBDocumentClient.from(client), tableName);
  const at = new Date().toISOString();
  const stock = async (sku: string, onHand: number) =>
    ledger.save(undefined, countStock(undefined, { sku, locationId: 'bench-alloc' }, { onHand }, at));

  const run = randomUUID().slice(0, 8);
  const hotSku = `BENCH-HOT-${run}`;
  await stock(hotSku, count * 2);
  const skus = Array.from({ length: 1000 }, (_, i) => `BENCH-${run}-${i}`);
  await runConcurrently('stock 1,000 SKUs', skus.length, concurrency, async (i) =>
    stock(skus[i] as string, count),
  );

  const hot = await runConcurrently('Ledger reserve, one hot SKU', count, concurrency, async () => {
    const result = await ledger.reserve(randomUUID(), [{ sku: hotSku, quantity: 1 }]);
    if (!result.reserved) throw new Error('hot SKU ran out');
  });
  const spread = await runConcurrently('Ledger reserve, 1,000 SKUs', count, concurrency, async (i) => {
    const result = await ledger.reserve(randomUUID(), [
      { sku: skus[i % skus.length] as string, quantity: 1 },
    ]);
    if (!result.reserved) throw new Error('SKU ran out');
  });
  const { levels, network, reservations } = await ledger.snapshot();
  client.destroy();
  return { hot, spread, clean: checkInvariants(levels, network, reservations).length === 0 };
}
