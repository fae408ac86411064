import { awsAdapters } from '../../shared/adapters/aws/dependencies';
import type { ReturnPolicyStore } from '../../shared/application/ports';
import { httpRoute, json } from '../lib/http-route';

export const createHandler = (deps: { policies: ReturnPolicyStore }) =>
  httpRoute({}, async () => json(200, await deps.policies.current()));

export const handler = createHandler({ policies: awsAdapters.returnPolicies() });
