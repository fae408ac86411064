import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { InventoryLedger } from '../../shared/application/ports';
import { getInventory } from '../../shared/application/stock';
import { SkuParams } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { ledger: InventoryLedger }) =>
  httpRoute({ params: SkuParams }, async ({ params }) => json(200, await getInventory(deps, params.sku)));

export const handler = createHandler({ ledger: awsAdapters.ledger() });
