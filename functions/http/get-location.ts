import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { getLocation } from '../../shared/application/locations';
import type { LocationRepository } from '../../shared/application/ports';
import { LocationIdParams } from '../../shared/contracts/inventory-schemas';
import { requireLocation } from '../../shared/domain/access';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { locations: LocationRepository }) =>
  httpRoute({ params: LocationIdParams }, async ({ params, principal }) => {
    requireLocation(principal, params.id);
    return json(200, await getLocation(deps, params.id));
  });

export const handler = createHandler({ locations: awsAdapters.locations() });
