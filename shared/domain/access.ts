import { ForbiddenError, UnauthorizedError } from './errors';

/** Who may call an operation: the three audiences of the API. */
export const Audience = { OPS: 'ops', CHANNEL: 'channel', WAREHOUSE: 'warehouse' } as const;
export type Audience = (typeof Audience)[keyof typeof Audience];

/** The OAuth resource server every OMS scope belongs to. */
export const RESOURCE_SERVER = 'oms';

/**
 * Scopes, as the identity provider issues them: one per audience (the API Gateway authorizer
 * checks these), plus one per tenant the client acts for (the handlers check these), so any
 * OAuth 2 issuer can express a tenant without custom claims.
 */
export const scopes = {
  audience: (audience: Audience) => `${RESOURCE_SERVER}/${audience}`,
  channel: (channel: string) => `${RESOURCE_SERVER}/channel:${channel}`,
  location: (locationId: string) => `${RESOURCE_SERVER}/location:${locationId}`,
} as const;

/** The authenticated caller of an operation, read from the scopes of its verified token. */
export interface Principal {
  /** The token's subject (a client id for machine clients): idempotency keys are scoped to it. */
  subject: string;
  ops: boolean;
  /** Channels the caller may place and read orders for (when it has the channel audience). */
  channels: readonly string[];
  /** Locations whose shipments and stock the caller may act on (when it has the warehouse audience). */
  locations: readonly string[];
}

function tenants(granted: readonly string[], prefix: string): string[] {
  return granted.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
}

/** Reads a principal from a token's subject and scopes; an audience without tenants grants nothing. */
export function principalFromScopes(subject: string, granted: readonly string[]): Principal {
  const has = (audience: Audience) => granted.includes(scopes.audience(audience));
  return {
    subject,
    ops: has(Audience.OPS),
    channels: has(Audience.CHANNEL) ? tenants(granted, scopes.channel('')) : [],
    locations: has(Audience.WAREHOUSE) ? tenants(granted, scopes.location('')) : [],
  };
}

/** The audiences a principal effectively belongs to. */
export function audiencesOf(principal: Principal): Audience[] {
  return [
    ...(principal.ops ? [Audience.OPS] : []),
    ...(principal.channels.length > 0 ? [Audience.CHANNEL] : []),
    ...(principal.locations.length > 0 ? [Audience.WAREHOUSE] : []),
  ];
}

/** Refuses a caller outside every audience of the operation (401 when it proves no audience at all). */
export function requireAudience(principal: Principal, allowed: readonly Audience[]): void {
  const own = audiencesOf(principal);
  if (own.length === 0)
    throw new UnauthorizedError(
      'The token grants no OMS scope: ask for oms/ops, oms/channel or oms/warehouse',
    );
  if (!own.some((a) => allowed.includes(a)))
    throw new ForbiddenError(
      `This operation is for ${allowed.join(' or ')}; the token is for ${own.join(', ')}`,
    );
}

/** A channel reads and changes only its own orders; ops see every channel. */
export function requireChannel(principal: Principal, channel: string, pointer?: string): void {
  if (!principal.ops && !principal.channels.includes(channel))
    throw new ForbiddenError(`The token does not act for channel ${channel}`, pointer ? { pointer } : {});
}

/** A warehouse acts only on its own location's shipments and stock; ops on every location. */
export function requireLocation(principal: Principal, locationId: string): void {
  if (!principal.ops && !principal.locations.includes(locationId))
    throw new ForbiddenError(`The token does not act for location ${locationId}`);
}

/**
 * The channel a listing is confined to: ops list any (or all), a channel only its own, so a
 * channel acting for several must say which.
 */
export function listingChannel(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.ops) return asked;
  if (asked !== undefined) {
    requireChannel(principal, asked, '#/query/channel');
    return asked;
  }
  const [only, ...others] = principal.channels;
  if (only === undefined || others.length > 0)
    throw new ForbiddenError('The token acts for several channels: say which with ?channel=', {
      pointer: '#/query/channel',
    });
  return only;
}
