export const LOCATION_TYPES = ['warehouse', 'store'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

/** A place that holds stock and ships orders. */
export interface Location {
  id: string;
  name: string;
  type: LocationType;
  address: {
    line1?: string;
    city?: string;
    region?: string;
    postalCode?: string;
    /** ISO 3166-1 alpha-2 */
    country: string;
    lat: number;
    lon: number;
  };
  active: boolean;
  /** Lower ships first when other criteria tie. */
  priority: number;
  /** Orders it can ship a day; absent means no limit. */
  dailyCapacity?: number;
  updatedAt: string;
}
