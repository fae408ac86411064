import { type StockDeps, setStock } from '../../shared/application/stock';
import { StockCountBody, StockParams } from '../../shared/contracts/inventory-schemas';
import { httpRoute } from '../lib/http-route';
import { stockChange, stockDeps } from '../lib/stock-handler';
import { stockResponse } from '../lib/stock-response';

export const createHandler = (deps: StockDeps) =>
  httpRoute({ params: StockParams, body: StockCountBody, idempotent: true }, async (request) =>
    stockResponse(200, await setStock(deps, stockChange(request), request.body)),
  );

export const handler = createHandler(stockDeps());
