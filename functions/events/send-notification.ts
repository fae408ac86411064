import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { requiredEnv } from '../../shared/adapters/aws/env';
import { systemClock } from '../../shared/adapters/system';
import { type NotifyDeps, notify } from '../../shared/application/notify';
import { EVENT_DETAIL_SCHEMAS } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import type { EventMetadata } from '../../shared/domain/order-events';
import { taskHandler } from '../lib/task-handler';

const schemas = EVENT_DETAIL_SCHEMAS as unknown as Record<
  string,
  Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }>
>;

/** Rule target for the events people are told about. A malformed event fails loudly (retried, then dead-lettered). */
export const createHandler = (deps: NotifyDeps) =>
  taskHandler(async (event: EventBridgeEvent<string, unknown>) => {
    const schema = schemas[event.source]?.[event['detail-type']];
    const parsed = schema?.safeParse(event.detail);
    if (!parsed?.success)
      throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
    const detail = parsed.data as { metadata: EventMetadata; data: unknown };
    return { sent: await notify(deps, { detailType: event['detail-type'], detail }) };
  });

export const handler = createHandler({
  orders: awsAdapters.orders(),
  outbox: awsAdapters.notifications(),
  mailer: awsAdapters.mailer(),
  clock: systemClock,
  operationsAddress: requiredEnv('OPERATIONS_EMAIL'),
});
