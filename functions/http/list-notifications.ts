import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { NotificationSender } from '../../shared/application/ports';
import { PageQuery } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';

/** The notification outbox, newest first. */
export const createHandler = (deps: { sender: NotificationSender }) =>
  httpRoute({ query: PageQuery }, async ({ query }) => json(200, await deps.sender.list(query)));

export const handler = createHandler({ sender: awsAdapters.notifications() });
