/**
 * What each DynamoDB item write of a delivered order is for, by the item kind the meter names
 * (`caller kind`): the figure the "at most 20 writes" target is argued over. The order's own
 * story is what a customer and ops see of the order itself; the rest serve other readers.
 */
export type WritePurpose = 'order' | 'projections' | 'outbox' | 'journal' | 'other';

const PURPOSE_OF_KIND: Record<string, WritePurpose> = {
  ORDER: 'order',
  IDEMPOTENCY: 'order',
  AUTHORIZATION: 'order',
  RESERVATION: 'order',
  LOCATION: 'order',
  NETWORK: 'order',
  SHIPMENT: 'order',
  TRACKING: 'order',
  ROUTING: 'order',
  // Read models fed by events: the order's activity, the KPIs (C and S are their counters), return rates.
  EVENTS: 'projections',
  KPI: 'projections',
  C: 'projections',
  S: 'projections',
  RETURN_STATS: 'projections',
  NOTIFICATION: 'outbox',
};

const JOURNAL_KINDS = new Set(['EXECUTION', 'EVENT']);

export const PURPOSE_LABELS: Record<WritePurpose, string> = {
  order: "the order's own",
  projections: 'projections',
  outbox: 'notification outbox',
  journal: "execution journal (local only: on AWS it is Step Functions' own)",
  other: 'other',
};

/** Per-order writes by purpose, from two readings of the meter keyed `caller kind`. */
export function writesByPurpose(
  after: Map<string, number>,
  before: Map<string, number>,
  orders: number,
): Map<WritePurpose, number> {
  const purposes = new Map<WritePurpose, number>();
  for (const [key, n] of after) {
    const [caller = '', kind = ''] = key.split(' ');
    const perOrder = (n - (before.get(key) ?? 0)) / orders;
    if (perOrder === 0) continue;
    // The local cloud's own execution and history items; its other writes are a workflow's
    // dynamodb:* tasks, filed by kind like a function's.
    const purpose =
      caller === 'LocalCloud' && JOURNAL_KINDS.has(kind) ? 'journal' : (PURPOSE_OF_KIND[kind] ?? 'other');
    purposes.set(purpose, (purposes.get(purpose) ?? 0) + perOrder);
  }
  return purposes;
}

/** `the order's own 36.0, projections 12.7, ...`, in the order of PURPOSE_LABELS, the empty left out. */
export function formatPurposes(purposes: Map<WritePurpose, number>): string {
  return (Object.keys(PURPOSE_LABELS) as WritePurpose[])
    .filter((p) => (purposes.get(p) ?? 0) > 0)
    .map((p) => `${PURPOSE_LABELS[p]} ${(purposes.get(p) ?? 0).toFixed(1)}`)
    .join(', ');
}
