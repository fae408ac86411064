import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { LocationRepository } from '../../shared/application/ports';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { locations: LocationRepository }) =>
  httpRoute({}, async () => json(200, { items: await deps.locations.list() }));

export const handler = createHandler({ locations: awsAdapters.locations() });
