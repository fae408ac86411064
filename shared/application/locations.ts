import { NotFoundError } from '../domain/errors';
import type { Location } from '../domain/location';
import type { Clock, LocationRepository } from './ports';

export type LocationInput = Omit<Location, 'id' | 'updatedAt'>;

/** Creates or replaces a location (PUT semantics: the same body twice leaves the same state). */
export async function putLocation(
  deps: { locations: LocationRepository; clock: Clock },
  id: string,
  input: LocationInput,
): Promise<{ location: Location; created: boolean }> {
  const location: Location = { id, ...input, updatedAt: deps.clock.now() };
  const { created } = await deps.locations.put(location);
  return { location, created };
}

export async function getLocation(deps: { locations: LocationRepository }, id: string): Promise<Location> {
  const location = await deps.locations.get(id);
  if (!location) throw new NotFoundError(`Location ${id} does not exist`, { locationId: id });
  return location;
}
