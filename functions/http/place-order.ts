import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import type { PlaceOrderDeps } from '../../shared/application/place-order';
import { PlaceOrderBody } from '../../shared/contracts/order-schemas';
import { httpRoute } from '../lib/http-route';
import { placeAndAnswer } from '../lib/place-and-answer';

export const createHandler = (deps: PlaceOrderDeps) =>
  httpRoute({ body: PlaceOrderBody, idempotent: true }, (request) =>
    placeAndAnswer(deps, request, request.body),
  );

export const handler = createHandler({
  orders: awsAdapters.orders(),
  workflow: awsAdapters.workflow(),
  clock: systemClock,
  ids: ulidIds,
});
