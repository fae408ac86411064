import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { ReturnPolicyStore } from '../../shared/application/ports';
import { ReturnPolicyBody } from '../../shared/contracts/return-schemas';
import { httpRoute, json } from '../lib/http-route';

/** Every change is a new version; `expectedVersion` stops two editors overwriting each other. */
export const createHandler = (deps: { policies: ReturnPolicyStore }) =>
  httpRoute({ body: ReturnPolicyBody }, async ({ body }) => {
    const { expectedVersion, ...policy } = body;
    return json(200, await deps.policies.save(policy, expectedVersion));
  });

export const handler = createHandler({ policies: awsAdapters.returnPolicies() });
