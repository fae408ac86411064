/** The one set of tracking statuses every carrier's vocabulary is mapped onto. */
export const TRACKING_STATUSES = [
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** How far along the trip each status is; exceptions do not move it (the parcel is where it was). */
const PROGRESS: Record<TrackingStatus, number> = {
  label_created: 1,
  picked_up: 2,
  in_transit: 3,
  out_for_delivery: 4,
  exception: 0,
  delivered: 5,
  returned_to_sender: 5,
};

export const isFinalTracking = (status: TrackingStatus) =>
  status === 'delivered' || status === 'returned_to_sender';

/**
 * Whether a tracking update moves a shipment now at `current`: only forward, never out of a
 * final status; an exception applies to a parcel still on its way. Anything else is history only
 * (an in_transit arriving after delivered is recorded but changes nothing).
 */
export function movesForward(current: TrackingStatus | undefined, update: TrackingStatus): boolean {
  if (current !== undefined && isFinalTracking(current)) return false;
  if (update === 'exception') return true;
  return PROGRESS[update] > (current === undefined ? 0 : PROGRESS[current]);
}
