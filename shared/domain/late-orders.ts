import type { Order } from './order';
import type { OrderStatus } from './order-status';

/**
 * How long an order may stand in each stage before ops should look at it, by the statuses that
 * make the stage. Defaults for a store that ships within a day and delivers within a week.
 */
export const STAGE_SLAS = [
  { stage: 'confirmation', statuses: ['PENDING', 'CONFIRMED', 'ALLOCATED'], hours: 1 },
  { stage: 'pick', statuses: ['ROUTED', 'FULFILLING'], hours: 24 },
  { stage: 'delivery', statuses: ['SHIPPED'], hours: 7 * 24 },
  { stage: 'backorder', statuses: ['BACKORDERED'], hours: 72 },
  { stage: 'hold', statuses: ['ON_HOLD'], hours: 24 },
] as const satisfies ReadonlyArray<{ stage: string; statuses: readonly OrderStatus[]; hours: number }>;

export type Stage = (typeof STAGE_SLAS)[number]['stage'];
export const STAGES = STAGE_SLAS.map((s) => s.stage) as Stage[];

export interface LateOrder {
  orderId: string;
  channel: string;
  status: OrderStatus;
  stage: Stage;
  /** When it entered its status (its timeline's last entry). */
  since: string;
  waitedHours: number;
  slaHours: number;
}

/** The order's lateness in its stage at `now`, or undefined while it is within the SLA (or in no stage). */
export function lateness(order: Order, now: string, slaHours?: number): LateOrder | undefined {
  const sla = STAGE_SLAS.find((s) => (s.statuses as readonly string[]).includes(order.status));
  if (!sla) return undefined;
  const since = order.timeline.at(-1)?.at ?? order.updatedAt;
  const waitedHours = (Date.parse(now) - Date.parse(since)) / 3_600_000;
  const limit = slaHours ?? sla.hours;
  if (waitedHours < limit) return undefined;
  return {
    orderId: order.id,
    channel: order.channel,
    status: order.status,
    stage: sla.stage,
    since,
    waitedHours: Math.round(waitedHours * 100) / 100,
    slaHours: limit,
  };
}
