import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { CancelOrderDeps } from '../../shared/application/cancel-order';

/** Real adapters for cancelling (by the API or by the workflow), built once per cold start. */
export function cancelOrderDeps(): CancelOrderDeps {
  return {
    orders: awsAdapters.orders(),
    releaseWaits: awsAdapters.releaseWaits(),
    shipments: awsAdapters.shipments(),
    ledger: awsAdapters.ledger(),
    backorders: awsAdapters.backorders(),
    callbacks: awsAdapters.callbacks(),
    payments: awsAdapters.payments(),
    events: awsAdapters.events(),
    clock: systemClock,
  };
}
