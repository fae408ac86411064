import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { AlertLog } from '../../shared/application/ports';
import { PageQuery } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { alerts: AlertLog }) =>
  httpRoute({ query: PageQuery }, async ({ query }) => json(200, await deps.alerts.list(query)));

export const handler = createHandler({ alerts: awsAdapters.alerts() });
