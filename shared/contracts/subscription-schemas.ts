import { z } from 'zod';
import {
  INTERVAL_UNITS,
  SUBSCRIPTION_ACTIONS,
  type Subscription,
  SubscriptionStatus,
} from '../domain/subscriptions';
import { ChannelSlug, OrderFields, uniqueSkus } from './order-schemas';

const STATUSES = Object.values(SubscriptionStatus) as [SubscriptionStatus, ...SubscriptionStatus[]];
const Interval = z
  .strictObject({ every: z.int().min(1).max(52), unit: z.enum(INTERVAL_UNITS) })
  .describe('An order every `every` days, weeks or months (a month keeps its day, or the last one)');

/** Body of POST /subscriptions. */
export const SubscriptionBody = z
  .strictObject({
    order: OrderFields.pick({
      channel: true,
      customer: true,
      shippingAddress: true,
      lines: true,
      currency: true,
      payment: true,
      shippingMethod: true,
    })
      .superRefine(uniqueSkus)
      .describe("Each run's order; a card or wallet token is the stored credential charged each run"),
    interval: Interval,
    startAt: z.iso
      .datetime()
      .optional()
      .describe('When the first order is placed (now when left out or past)'),
    reminderDays: z
      .int()
      .min(0)
      .max(30)
      .default(3)
      .describe('Days before each run that the customer is told what it will charge (0: not told)'),
  })
  .meta({ id: 'SubscriptionRequest' });

export const SubscriptionParams = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/, 'a subscription id'),
});
export const SubscriptionActionParams = SubscriptionParams.extend({ action: z.enum(SUBSCRIPTION_ACTIONS) });

export const ListSubscriptionsQuery = z.strictObject({
  channel: ChannelSlug.optional(),
  customerId: z.string().trim().min(1).max(64).optional(),
  status: z.enum(STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const SubscriptionView = z
  .object({
    id: z.string(),
    status: z.enum(STATUSES),
    order: z.record(z.string(), z.unknown()).describe("Each run's order (the payment token never shown)"),
    interval: Interval,
    reminderDays: z.int(),
    nextRunAt: z.iso.datetime().optional().describe('When the next order is placed (absent once cancelled)'),
    remindedFor: z.iso.datetime().optional().describe('The run the last reminder was for'),
    runs: z
      .array(
        z.object({
          runAt: z.iso.datetime(),
          orderId: z.string().optional(),
          skipped: z.boolean().optional(),
        }),
      )
      .describe('The last 24 runs, newest first'),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int(),
  })
  .meta({ id: 'Subscription' });

/** A subscription as the API shows it: no request hash, no payment token. */
export function subscriptionView(s: Subscription) {
  const { requestHash: _hash, order, ...shown } = s;
  const { token: _token, ...payment } = order.payment;
  return { ...shown, order: { ...order, payment } };
}
