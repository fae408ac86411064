import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { AwsServiceError } from './aws-error';
import { ensureTables, stringKeyedTable } from './dynamodb';
import { readBody } from './http-server';
import { LOCAL_REGION, type LocalTemplate } from './template';

/** The local cloud's own table for what Cognito generates: signing keys and client secrets survive restarts. */
const COGNITO_TABLE = 'LocalCloudCognito';

export interface LocalAppClient {
  clientId: string;
  clientName: string;
  userPoolId: string;
  clientSecret?: string;
  allowedScopes: string[];
  clientCredentials: boolean;
  accessTokenSeconds: number;
}

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** Cognito's issuer URL for a pool; API Gateway's JWT authorizer compares tokens' `iss` with it. */
export function userPoolIssuer(userPoolId: string): string {
  return `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${userPoolId}`;
}

function oauthError(response: ServerResponse, status: number, error: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error }));
}

/**
 * The template's Cognito user pools as far as machine clients use them: each pool's signing key
 * and JWKS, its app clients with generated secrets, and the OAuth 2 token endpoint's
 * client-credentials grant, which grants only the scopes a client is allowed. Users, hosted UI
 * and the other grants are not emulated (the OMS has no human sign-in).
 */
export class LocalCognito {
  /** Each pool's public key set by issuer, built once: the keys never change while the cloud runs. */
  private readonly keySets: Map<string, JSONWebKeySet>;

  private constructor(
    private readonly keys: Map<string, SigningKey>,
    private readonly appClients: Map<string, LocalAppClient>,
  ) {
    this.keySets = new Map(
      [...keys].map(([poolId, key]) => [
        userPoolIssuer(poolId),
        { keys: [{ ...key.publicJwk, kid: key.kid, alg: 'RS256', use: 'sig' }] },
      ]),
    );
  }

  static async fromTemplate(db: DynamoDBClient, template: LocalTemplate): Promise<LocalCognito> {
    await ensureTables(db, [stringKeyedTable(COGNITO_TABLE, 'id')]);
    // Generated once and kept: a restart must not invalidate the tokens and secrets handed out.
    const keep = async <T extends object>(id: string, make: () => Promise<T>): Promise<T> => {
      try {
        await db.send(
          new PutItemCommand({
            TableName: COGNITO_TABLE,
            Item: marshall({ id, value: JSON.stringify(await make()) }),
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await db.send(
        new GetItemCommand({ TableName: COGNITO_TABLE, Key: marshall({ id }), ConsistentRead: true }),
      );
      return JSON.parse(String(unmarshall(Item ?? {}).value)) as T;
    };

    const keys = new Map<string, SigningKey>();
    for (const { logicalId } of template.resourcesOfType('AWS::Cognito::UserPool')) {
      keys.set(
        logicalId,
        await keep(`key#${logicalId}`, async () => {
          const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
          const kid = randomUUID();
          return { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
        }),
      );
    }
    const appClients = new Map<string, LocalAppClient>();
    for (const { logicalId, properties: p } of template.resourcesOfType('AWS::Cognito::UserPoolClient')) {
      const units = (p.TokenValidityUnits ?? {}) as { AccessToken?: string };
      const secret = p.GenerateSecret
        ? (await keep(`secret#${logicalId}`, async () => ({ secret: randomBytes(38).toString('base64url') })))
            .secret
        : undefined;
      appClients.set(logicalId, {
        clientId: logicalId,
        clientName: String(p.ClientName ?? logicalId),
        userPoolId: String(p.UserPoolId),
        ...(secret ? { clientSecret: secret } : {}),
        allowedScopes: ((p.AllowedOAuthScopes ?? []) as unknown[]).map(String),
        clientCredentials: ((p.AllowedOAuthFlows ?? []) as unknown[]).includes('client_credentials'),
        accessTokenSeconds:
          Number(p.AccessTokenValidity ?? 60) * (UNIT_SECONDS[units.AccessToken ?? 'minutes'] ?? 60),
      });
    }
    return new LocalCognito(keys, appClients);
  }

  /** The public keys of the pool whose issuer this is, as its jwks.json serves them. */
  jwks(issuer: string): JSONWebKeySet | undefined {
    return this.keySets.get(issuer);
  }

  clients(): LocalAppClient[] {
    return [...this.appClients.values()];
  }

  /**
   * An access token as Cognito's client-credentials grant issues it. `lifetimeSeconds` overrides
   * the client's validity and `claims` adds or replaces claims (tests use them for expired and
   * foreign-audience tokens signed with the pool's real key).
   */
  async issueToken(
    clientId: string,
    options: { scopes?: string[]; lifetimeSeconds?: number; claims?: Record<string, unknown> } = {},
  ): Promise<{ token: string; expiresIn: number }> {
    const client = this.appClients.get(clientId);
    const key = client && this.keys.get(client.userPoolId);
    if (!client || !key) throw new Error(`No app client ${clientId}`);
    const granted = options.scopes ?? client.allowedScopes;
    const expiresIn = options.lifetimeSeconds ?? client.accessTokenSeconds;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      token_use: 'access',
      scope: granted.join(' '),
      auth_time: now,
      version: 2,
      client_id: client.clientId,
      ...options.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setSubject(client.clientId)
      .setIssuer(userPoolIssuer(client.userPoolId))
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(await importJWK(key.privateJwk, 'RS256'));
    return { token, expiresIn };
  }

  /** Requests this emulator answers on the local AWS endpoint (token endpoint and JWKS). */
  static handles(request: IncomingMessage): boolean {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    return path === '/oauth2/token' || path.endsWith('/.well-known/jwks.json');
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path.endsWith('/.well-known/jwks.json')) {
      const jwks = this.jwks(userPoolIssuer(path.split('/')[1] ?? ''));
      response.writeHead(jwks ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(jwks ?? { message: 'User pool not found' }));
      return;
    }
    if (request.method !== 'POST') return oauthError(response, 405, 'invalid_request');
    const form = new URLSearchParams((await readBody(request, 64 * 1024))?.toString('utf8') ?? '');
    // The client authenticates with HTTP Basic, or with client_id/client_secret in the form.
    const basic = /^Basic (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [];
    const clientId = basicId ?? form.get('client_id') ?? '';
    const secret = basicSecret ?? form.get('client_secret') ?? undefined;
    const client = this.appClients.get(clientId);
    if (!client || (client.clientSecret !== undefined && client.clientSecret !== secret))
      return oauthError(response, 400, 'invalid_client');
    if (form.get('grant_type') !== 'client_credentials' || !client.clientCredentials)
      return oauthError(response, 400, 'unsupported_grant_type');
    const asked = form.get('scope')?.split(' ').filter(Boolean);
    if (asked?.some((s) => !client.allowedScopes.includes(s)))
      return oauthError(response, 400, 'invalid_scope');
    const { token, expiresIn } = await this.issueToken(clientId, asked ? { scopes: asked } : {});
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }));
  }

  /** Cognito's control-plane reads ops use to hand a client its credentials (AWS JSON 1.1). */
  listUserPoolClients(input: { UserPoolId?: unknown }) {
    return {
      UserPoolClients: this.clients()
        .filter((c) => c.userPoolId === input.UserPoolId)
        .map((c) => ({ ClientId: c.clientId, ClientName: c.clientName, UserPoolId: c.userPoolId })),
    };
  }

  describeUserPoolClient(input: { UserPoolId?: unknown; ClientId?: unknown }) {
    const client = this.appClients.get(String(input.ClientId));
    if (!client || client.userPoolId !== input.UserPoolId)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `User pool client ${String(input.ClientId)} does not exist.`,
      );
    return {
      UserPoolClient: {
        ClientId: client.clientId,
        ClientName: client.clientName,
        UserPoolId: client.userPoolId,
        ...(client.clientSecret ? { ClientSecret: client.clientSecret } : {}),
        AllowedOAuthFlows: client.clientCredentials ? ['client_credentials'] : [],
        AllowedOAuthScopes: client.allowedScopes,
      },
    };
  }

  listUserPools() {
    return { UserPools: [...this.keys.keys()].map((id) => ({ Id: id, Name: id })) };
  }
}
