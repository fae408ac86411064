import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import { type RequestReturnDeps, requestReturn } from '../../shared/application/returns';
import { OrderIdParams } from '../../shared/contracts/order-schemas';
import { RequestReturnBody } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';
import { returnDeps } from '../lib/return-deps';

/** A channel opens a return of its own order's delivered units, ops of any; the same key and body again is a replay. */
export const createHandler = (deps: RequestReturnDeps) =>
  httpRoute({ params: OrderIdParams, body: RequestReturnBody, idempotent: true }, async (request) => {
    const { rma, replayed } = await requestReturn(deps, {
      orderId: request.params.id,
      request: request.body,
      principal: request.principal,
      idempotencyKey: request.idempotencyKey,
    });
    return replayed
      ? json(200, rma, { 'idempotent-replayed': 'true' })
      : json(201, rma, { location: `/returns/${rma.id}` });
  });

export const handler = createHandler({
  ...returnDeps(),
  shipments: awsAdapters.shipments(),
  policies: awsAdapters.returnPolicies(),
  returnWorkflow: awsAdapters.returnWorkflow(),
});
