import { Audience } from '../domain/access';
import type { ApiRoute } from './api-routes';
import {
  ListSubscriptionsQuery,
  SubscriptionActionParams,
  SubscriptionBody,
  SubscriptionParams,
} from './subscription-schemas';

const { CHANNEL, OPS } = Audience;
const problems = { 400: { description: 'Invalid request', schema: 'Problem' } } as const;

/** Recurring orders: a subscription places an order each interval, reminding the customer first. */
export const SUBSCRIPTION_ROUTES: readonly ApiRoute[] = [
  {
    operationId: 'createSubscription',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/subscriptions',
    summary:
      'Subscribe a customer to a recurring order: placed at startAt, then every interval, the customer told reminderDays before each charge',
    body: SubscriptionBody,
    idempotent: true,
    responses: {
      201: { description: 'ACTIVE, with its nextRunAt', schema: 'Subscription', headers: ['Location'] },
      200: { description: 'The same request again: the same subscription', schema: 'Subscription' },
      ...problems,
      422: { description: 'The Idempotency-Key was used with another body', schema: 'Problem' },
    },
  },
  {
    operationId: 'listSubscriptions',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/subscriptions',
    summary: 'Subscriptions newest first, by channel, customer or status',
    query: ListSubscriptionsQuery,
    responses: { 200: { description: 'A page of subscriptions' }, ...problems },
  },
  {
    operationId: 'getSubscription',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/subscriptions/{id}',
    summary: 'A subscription: its order, interval, next run and the orders its runs placed',
    params: SubscriptionParams,
    responses: {
      200: { description: 'The subscription', schema: 'Subscription' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
    },
  },
  {
    operationId: 'changeSubscription',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/subscriptions/{id}/{action}',
    summary:
      'pause (no run until resumed), resume (the next run due from now; missed runs are not made up), skip (the next run is not placed) or cancel',
    params: SubscriptionActionParams,
    responses: {
      200: { description: 'The subscription as it now is', schema: 'Subscription' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
      409: {
        description: 'Not in a state for it (resuming an active one, changing a cancelled one)',
        schema: 'Problem',
      },
    },
  },
];
