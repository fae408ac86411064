import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { checkInventory } from '../../shared/application/inventory-check';
import type { Clock, InventoryLedger } from '../../shared/application/ports';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { ledger: InventoryLedger; clock: Clock }) =>
  httpRoute({}, async () => json(200, await checkInventory(deps)));

export const handler = createHandler({ ledger: awsAdapters.ledger(), clock: systemClock });
