import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { NotificationOutbox } from '../../shared/application/ports';
import { PageQuery } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';

/** The notification outbox, newest first. */
export const createHandler = (deps: { outbox: NotificationOutbox }) =>
  httpRoute({ query: PageQuery }, async ({ query }) => json(200, await deps.outbox.list(query)));

export const handler = createHandler({ outbox: awsAdapters.notifications() });
