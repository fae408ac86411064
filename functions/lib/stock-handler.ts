import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock } from '../../shared/adapters/system';
import type { StockDeps } from '../../shared/application/stock';
import { type Principal, requireLocation } from '../../shared/domain/access';

/** Real adapters for the stock use cases, built once per cold start. */
export function stockDeps(): StockDeps {
  return {
    ledger: awsAdapters.ledger(),
    locations: awsAdapters.locations(),
    events: awsAdapters.events(),
    clock: systemClock,
  };
}

/**
 * The part of a stock request the use cases need: which row, and the request's identity; a
 * warehouse may only count and adjust its own location.
 */
export function stockChange(request: {
  params: { sku: string; locationId: string };
  idempotencyKey: string;
  correlationId: string;
  principal: Principal;
}) {
  requireLocation(request.principal, request.params.locationId);
  return {
    ...request.params,
    idempotencyKey: request.idempotencyKey,
    caller: request.principal.subject,
    correlationId: request.correlationId,
  };
}
