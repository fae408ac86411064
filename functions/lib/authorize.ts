import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routeByKey } from '../../shared/contracts/api-routes';
import { type Principal, principalFromScopes, requireAudience } from '../../shared/domain/access';
import { ForbiddenError } from '../../shared/domain/errors';

const ANONYMOUS: Principal = { subject: 'anonymous', ops: false, channels: [], locations: [] };

/** What API Gateway's JWT authorizer hands the integration (payload format 2.0). */
interface JwtAuthorizerContext {
  jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null };
}

function grantedScopes(jwt: NonNullable<JwtAuthorizerContext['jwt']>): string[] {
  if (jwt.scopes && jwt.scopes.length > 0) return jwt.scopes;
  // API Gateway fills `scopes` only for routes with authorization scopes; the claim is always there.
  const claim = jwt.claims?.scope ?? jwt.claims?.scp;
  return typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
}

/**
 * The caller of this request. The gateway has verified the token and its audience scope; this
 * checks the audience again against the contract (so a route misconfigured on AWS fails closed)
 * and reads the tenants the handlers check ownership against.
 */
export function authorize(event: APIGatewayProxyEventV2): Principal {
  const route = routeByKey(event.routeKey);
  if (!route) throw new ForbiddenError(`${event.routeKey} is not an operation of the API`);
  if (!Array.isArray(route.access)) return ANONYMOUS;
  const jwt = (event.requestContext as { authorizer?: JwtAuthorizerContext }).authorizer?.jwt ?? {};
  const subject = String(jwt.claims?.sub ?? jwt.claims?.client_id ?? '');
  const principal = principalFromScopes(subject, grantedScopes(jwt));
  requireAudience(principal, route.access);
  return principal;
}
