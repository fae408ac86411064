import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { LocalTemplate } from './template';

/** What a route's JWT authorizer decided: the claims for the integration, or API Gateway's refusal. */
export type AuthorizerDecision =
  | { allowed: true; claims: Record<string, string>; scopes: string[] }
  | { allowed: false; status: 401 | 403; wwwAuthenticate?: string };

interface JwtAuthorizerSpec {
  issuer: string;
  audience: string[];
  header: string;
}

/** The public keys of an issuer the local cloud runs (its Cognito pools), or undefined; the same object while they stay the same. */
export type JwksSource = (issuer: string) => { keys: object[] } | undefined;

function authorizerSpecs(template: LocalTemplate): Map<string, JwtAuthorizerSpec | string> {
  const specs = new Map<string, JwtAuthorizerSpec | string>();
  for (const { logicalId, properties } of template.resourcesOfType('AWS::ApiGatewayV2::Authorizer')) {
    const config = (properties.JwtConfiguration ?? {}) as { Issuer?: unknown; Audience?: unknown[] };
    const source = ((properties.IdentitySource ?? []) as unknown[]).map(String);
    const header = /^\$request\.header\.(.+)$/.exec(source[0] ?? '')?.[1];
    if (properties.AuthorizerType !== 'JWT')
      specs.set(logicalId, `${properties.AuthorizerType} authorizers are not emulated`);
    else if (source.length !== 1 || !header)
      specs.set(logicalId, 'only a single $request.header identity source is emulated');
    else
      specs.set(logicalId, {
        issuer: String(config.Issuer),
        audience: (config.Audience ?? []).map(String),
        header: header.toLowerCase(),
      });
  }
  return specs;
}

/** Claims as API Gateway hands them to the integration: strings, arrays flattened to "[a b]". */
function stringClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );
}

const invalid = (description: string): AuthorizerDecision => ({
  allowed: false,
  status: 401,
  wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
});

/**
 * HTTP API JWT authorizers as API Gateway runs them: the token from the identity source (alone
 * or after "Bearer "), an RSA signature by a key of the issuer's JWKS named by `kid`, `iss`
 * equal to the issuer, `aud` (or `client_id` when there is no `aud`) among the audiences, `exp`
 * and `nbf`, then at least one of the route's scopes. Only issuers whose keys the local cloud
 * holds can be emulated offline; others refuse the start.
 */
export class LocalJwtAuthorizers {
  /**
   * jose's key set per JWKS the source answers (the same object while the keys stay the same):
   * the set imports a JWK into a key object on first use and keeps it, and importing it for every
   * request was most of a request's authorizer time.
   */
  private readonly keySets = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

  private constructor(
    private readonly specs: Map<string, JwtAuthorizerSpec | string>,
    private readonly jwks: JwksSource,
  ) {}

  static fromTemplate(template: LocalTemplate, jwks: JwksSource): LocalJwtAuthorizers {
    return new LocalJwtAuthorizers(authorizerSpecs(template), jwks);
  }

  /** What of the template's authorizers cannot run offline. */
  static unsupported(template: LocalTemplate, issuers: string[]): string[] {
    return [...authorizerSpecs(template)].flatMap(([id, spec]) => {
      if (typeof spec === 'string') return [`${id}: ${spec}`];
      if (!issuers.includes(spec.issuer))
        return [
          `${id}: issuer ${spec.issuer} is not a user pool of this template, so its keys are out of reach offline`,
        ];
      return [];
    });
  }

  private keySet(keys: { keys: object[] }) {
    let getKey = this.keySets.get(keys);
    if (!getKey) {
      getKey = createLocalJWKSet(keys as never);
      this.keySets.set(keys, getKey);
    }
    return getKey;
  }

  async authorize(
    authorizerId: string,
    routeScopes: string[],
    headers: Record<string, string | undefined>,
  ): Promise<AuthorizerDecision> {
    const spec = this.specs.get(authorizerId);
    if (typeof spec !== 'object') throw new Error(`Authorizer ${authorizerId} is not emulated`);
    const raw = headers[spec.header]?.trim();
    if (!raw) return { allowed: false, status: 401 };
    const token = raw.replace(/^Bearer\s+/i, '');
    const keys = this.jwks(spec.issuer);
    if (!keys) return invalid('the issuer has no keys');
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, this.keySet(keys), {
        issuer: spec.issuer,
        algorithms: ['RS256', 'RS384', 'RS512'],
      });
      if (!verified.protectedHeader.kid) return invalid('the token has no kid');
      payload = verified.payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return invalid('the token has expired');
      if (error instanceof errors.JWTClaimValidationFailed)
        return invalid(`the token's ${error.claim} is invalid`);
      return invalid('the token could not be verified');
    }
    const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
    if (!audiences.some((a) => typeof a === 'string' && spec.audience.includes(a)))
      return invalid('the token does not have a valid audience');
    const claim = payload.scope ?? payload.scp;
    const granted = typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
    if (routeScopes.length > 0 && !routeScopes.some((s) => granted.includes(s)))
      return {
        allowed: false,
        status: 403,
        wwwAuthenticate: `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="the token does not have the required scope"`,
      };
    return { allowed: true, claims: stringClaims(payload), scopes: granted };
  }
}
