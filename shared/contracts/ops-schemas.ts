import { z } from 'zod';
import { STAGES } from '../domain/late-orders';

/** A dead-letter queue's name: the function it belongs to ("SendNotification"). */
const QueueName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,79}$/, 'a function name, like SendNotification');

/** Query of GET /dead-letters. */
export const ListDeadLettersQuery = z.strictObject({ queue: QueueName.optional() });

/** Path of POST /dead-letters/{queue}/redrive. */
export const DeadLetterQueueParams = z.strictObject({ queue: QueueName });

/** Body of POST /dead-letters/{queue}/redrive. */
export const RedriveBody = z.strictObject({
  /** Most letters to send again in this call (a call stays well inside the API's 30 s). */
  max: z.number().int().min(1).max(100).default(100),
});

/** Path of GET /console/{file}: one of the console's built files (app.js, app.css). */
export const ConsoleFileParams = z.strictObject({
  file: z.string().regex(/^[a-z0-9-]{1,40}\.(js|css|html|json)$/, 'a console file, like app.js'),
});

/** Query of GET /orders/late. */
export const LateOrdersQuery = z.strictObject({
  stage: z
    .enum(STAGES as [string, ...string[]])
    .optional()
    .describe('One stage; all when left out'),
  olderThanHours: z.coerce
    .number()
    .min(0)
    .max(24 * 366)
    .optional()
    .describe("Hours in the stage that make an order late, instead of the stage's SLA"),
});

/** Query of GET /ops/stopped-executions. */
export const StoppedExecutionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
