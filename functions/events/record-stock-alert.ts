import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { AlertLog } from '../../shared/application/ports';
import { recordStockAlert } from '../../shared/application/stock-alerts';
import { StockSignalDetailSchema } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import { taskHandler } from '../lib/task-handler';

/** Rule target for StockLow and StockOut. A malformed event fails loudly so it is retried, then dead-lettered. */
export const createHandler = (deps: { alerts: AlertLog }) =>
  taskHandler(async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = StockSignalDetailSchema.safeParse(event.detail);
    if (!parsed.success) throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
    await recordStockAlert(deps, { detailType: event['detail-type'], detail: parsed.data });
  });

export const handler = createHandler({ alerts: awsAdapters.alerts() });
