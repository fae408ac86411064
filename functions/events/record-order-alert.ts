import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { recordOrderHoldAlert } from '../../shared/application/order-alerts';
import type { AlertLog } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import { taskHandler } from '../lib/task-handler';

const schema = EVENT_DETAIL_SCHEMAS['oms.orders'].OrderOnHold;

/** Rule target for OrderOnHold. A malformed event fails loudly so it is retried, then dead-lettered. */
export const createHandler = (deps: { alerts: AlertLog }) =>
  taskHandler(async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = schema.safeParse(event.detail);
    if (!parsed.success) throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
    await recordOrderHoldAlert(deps, parsed.data);
  });

export const handler = createHandler({ alerts: awsAdapters.alerts() });
