import { type CancelOrderDeps, cancelOrder } from '../../shared/application/cancel-order';
import { CancelOrderBody } from '../../shared/contracts/order-schemas';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { orderChangeRoute } from '../lib/order-change-route';

/** A channel cancels its own orders (or some of their units), ops any; the same key and body again is a replay. */
export const createHandler = (deps: CancelOrderDeps) =>
  orderChangeRoute(CancelOrderBody, (input) => cancelOrder(deps, input));

export const handler = createHandler(cancelOrderDeps());
