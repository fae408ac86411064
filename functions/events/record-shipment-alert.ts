import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { AlertLog } from '../../shared/application/ports';
import { recordShipmentAlert } from '../../shared/application/shipment-alerts';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import type { ShipmentEventData } from '../../shared/domain/shipment-events';
import { taskHandler } from '../lib/task-handler';

const schema = EVENT_DETAIL_SCHEMAS['oms.fulfillment'].ShipmentSlaBreached;

/** Rule target for shipments in trouble. A malformed event fails loudly so it is retried, then dead-lettered. */
export const createHandler = (deps: { alerts: AlertLog }) =>
  taskHandler(async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = schema.safeParse(event.detail);
    if (!parsed.success) throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
    const detail = parsed.data as { metadata: typeof parsed.data.metadata; data: ShipmentEventData };
    return { recorded: await recordShipmentAlert(deps, { detailType: event['detail-type'], detail }) };
  });

export const handler = createHandler({ alerts: awsAdapters.alerts() });
