import { ulid } from 'ulid';
import type { Clock, Ids } from '../application/ports';

export const systemClock: Clock = { now: () => new Date().toISOString() };

export const ulidIds: Ids = { orderId: () => ulid() };

/** A new id sortable by creation time (webhook subscriptions). */
export const newUlid = (): string => ulid();
