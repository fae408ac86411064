import { adjustStockAt, type StockDeps } from '../../shared/application/stock';
import { StockAdjustmentBody, StockParams } from '../../shared/contracts/inventory-schemas';
import { httpRoute } from '../lib/http-route';
import { stockChange, stockDeps } from '../lib/stock-handler';
import { stockResponse } from '../lib/stock-response';

export const createHandler = (deps: StockDeps) =>
  httpRoute({ params: StockParams, body: StockAdjustmentBody, idempotent: true }, async (request) =>
    stockResponse(201, await adjustStockAt(deps, stockChange(request), request.body)),
  );

export const handler = createHandler(stockDeps());
