import { type BackorderDeps, registerBackorder } from '../../shared/application/backorders';
import { awaitStockForShipment } from '../../shared/application/reroute-shipment';
import { backorderDeps } from '../lib/backorder-deps';
import { taskHandler } from '../lib/task-handler';

/**
 * `.waitForTaskToken` task `{ orderId, taskToken }` for a backordered order, or with `shipmentId`
 * for one rejected shipment no other location can take yet: files the wait; stock events end it.
 */
export const createHandler = (deps: BackorderDeps) =>
  taskHandler((input: { orderId: string; taskToken: string; shipmentId?: string }) =>
    input.shipmentId
      ? awaitStockForShipment(deps, { ...input, shipmentId: input.shipmentId })
      : registerBackorder(deps, input),
  );

export const handler = createHandler(backorderDeps());
