import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { InventoryLedger } from '../../shared/application/ports';
import { ListInventoryQuery } from '../../shared/contracts/inventory-schemas';
import { availableToSell } from '../../shared/domain/inventory';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { ledger: InventoryLedger }) =>
  httpRoute({ query: ListInventoryQuery }, async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    const page = await deps.ledger.list(filter, { limit, ...(cursor === undefined ? {} : { cursor }) });
    return json(200, {
      items: page.items.map((level) => ({ ...level, ats: availableToSell(level) })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  });

export const handler = createHandler({ ledger: awsAdapters.ledger() });
