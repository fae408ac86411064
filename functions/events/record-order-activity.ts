import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { recordOrderActivity } from '../../shared/application/order-activity';
import type { OrderActivityLog } from '../../shared/application/ports';
import { EVENT_DETAIL_SCHEMAS, OrderEventDetailSchema } from '../../shared/contracts/event-schemas';
import { ValidationError } from '../../shared/domain/errors';
import { logger } from '../lib/logger';

/** Rule target for every `oms.orders` event. A malformed event fails loudly so it is retried, then dead-lettered. */
export const createHandler = (deps: { activity: OrderActivityLog }) =>
  middy<EventBridgeEvent<string, unknown>>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      // Each type's own schema, so what it carries beyond the order summary (shipments...) is kept.
      const schemas: Record<string, typeof OrderEventDetailSchema> = EVENT_DETAIL_SCHEMAS['oms.orders'];
      const parsed = (schemas[event['detail-type']] ?? OrderEventDetailSchema).safeParse(event.detail);
      if (!parsed.success) {
        throw new ValidationError(`Malformed ${event['detail-type']} event ${event.id}`, []);
      }
      await recordOrderActivity(deps, {
        detailType: event['detail-type'],
        source: event.source,
        detail: parsed.data,
      });
    });

export const handler = createHandler({ activity: awsAdapters.activity() });
