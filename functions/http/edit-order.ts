import type { CancelOrderDeps } from '../../shared/application/cancel-order';
import { editOrder } from '../../shared/application/edit-order';
import { EditOrderBody } from '../../shared/contracts/order-schemas';
import { cancelOrderDeps } from '../lib/cancel-order-deps';
import { orderChangeRoute } from '../lib/order-change-route';

/** Lines, address or service level changed before the pick, in one step. */
export const createHandler = (deps: CancelOrderDeps) =>
  orderChangeRoute(EditOrderBody, (input) => editOrder(deps, input));

export const handler = createHandler(cancelOrderDeps());
