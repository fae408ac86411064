import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import { putLocation } from '../../shared/application/locations';
import type { Clock, LocationRepository } from '../../shared/application/ports';
import { LocationIdParams, PutLocationBody } from '../../shared/contracts/inventory-schemas';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { locations: LocationRepository; clock: Clock }) =>
  httpRoute({ params: LocationIdParams, body: PutLocationBody }, async ({ params, body }) => {
    const { location, created } = await putLocation(deps, params.id, body);
    return json(created ? 201 : 200, location, created ? { location: `/locations/${location.id}` } : {});
  });

export const handler = createHandler({ locations: awsAdapters.locations(), clock: systemClock });
