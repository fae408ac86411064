import type { EventBridgeEvent } from 'aws-lambda';
import { type BackorderDeps, resumeBackorders } from '../../shared/application/backorders';
import { backorderDeps } from '../lib/backorder-deps';
import { taskHandler } from '../lib/task-handler';

/** Rule target for StockChanged with stock available: wakes the orders waiting for that SKU. */
export const createHandler = (deps: BackorderDeps) =>
  taskHandler(async (event: EventBridgeEvent<string, { data: { sku: string } }>) => ({
    woken: await resumeBackorders(deps, event.detail.data.sku),
  }));

export const handler = createHandler(backorderDeps());
