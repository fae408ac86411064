import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { type StockDeps, setStock } from '../../shared/application/stock';
import { StockCountBody, StockParams } from '../../shared/contracts/inventory-schemas';
import { httpRoute } from '../lib/http-route';
import { stockResponse } from '../lib/stock-response';

export const createHandler = (deps: StockDeps) =>
  httpRoute({ params: StockParams, body: StockCountBody, idempotent: true }, async (request) =>
    stockResponse(
      200,
      await setStock(
        deps,
        { ...request.params, idempotencyKey: request.idempotencyKey, correlationId: request.correlationId },
        request.body,
      ),
    ),
  );

export const handler = createHandler({
  ledger: awsAdapters.ledger(),
  locations: awsAdapters.locations(),
  events: awsAdapters.events(),
  clock: systemClock,
});
