import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { Audience, RESOURCE_SERVER, scopes } from '../../shared/domain/access';

export interface OmsAuthProps {
  /**
   * An OAuth 2 issuer of your own (Auth0, Okta, Entra ID, another Cognito pool). It must issue
   * the OMS scopes (see shared/domain/access.ts). When set, no user pool is created.
   * @default - a Cognito user pool created by this stack
   */
  issuer?: string;
  /** Audiences (`aud`, or `client_id` when a token has no `aud`) the authorizer accepts; with `issuer`. */
  audience?: string[];
  /** Channels that get a machine client of their own (channel audience, that channel only). @default ['web'] */
  channels?: string[];
  /** Locations whose warehouse gets a machine client of its own (warehouse audience, that location only). @default [] */
  warehouses?: string[];
  /** Prefix of the Cognito domain serving /oauth2/token (unique in the region). @default oms-<account id> */
  domainPrefix?: string;
}

/**
 * Who may call the API: a JWT authorizer for the HTTP API and, by default, the Cognito user pool
 * behind it with one OAuth resource server (`oms`) and one client-credentials app client per
 * caller: ops, each channel, each warehouse. Each client gets only its audience's scope and
 * its own tenant's scope, so the handlers can check ownership from the token alone.
 */
export class OmsAuth extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: OmsAuthProps = {}) {
    super(scope, id);
    if (props.issuer) {
      if (!props.audience?.length) throw new Error('An issuer of your own needs its audience too');
      this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.issuer, {
        jwtAudience: props.audience,
      });
      return;
    }
    const channels = props.channels ?? ['web'];
    const warehouses = props.warehouses ?? [];
    const pool = new cognito.UserPool(this, 'UserPool', {
      // Machine clients only: nobody signs up, and no user ever signs in with a password.
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      passwordPolicy: {
        minLength: 16,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.NONE,
      // Channels and warehouses hold their client credentials: replacing the pool would lock them out.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        "Only machine clients (client credentials) use this pool: no user signs in, so the Plus plan's threat protection of user sign-ins has nothing to protect.",
    });
    // Every scope by its full name (`oms/channel:web`); Cognito names it without the server's prefix.
    const serverScopes = new Map(
      [
        ...Object.values(Audience).map(scopes.audience),
        ...channels.map(scopes.channel),
        ...warehouses.map(scopes.location),
      ].map((full) => {
        const name = full.slice(RESOURCE_SERVER.length + 1);
        return [full, new cognito.ResourceServerScope({ scopeName: name, scopeDescription: name })];
      }),
    );
    const server = pool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'OMS API',
      scopes: [...serverScopes.values()],
    });
    const domain = pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `oms-${Stack.of(this).account}` },
    });
    const client = (name: string, granted: string[]) =>
      pool.addClient(`Client-${name}`, {
        userPoolClientName: name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: granted.map((full) =>
            cognito.OAuthScope.resourceServer(server, serverScopes.get(full) as cognito.ResourceServerScope),
          ),
        },
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
    const clients = [
      client('ops', [scopes.audience(Audience.OPS)]),
      ...channels.map((c) => client(`channel-${c}`, [scopes.audience(Audience.CHANNEL), scopes.channel(c)])),
      ...warehouses.map((l) =>
        client(`warehouse-${l}`, [scopes.audience(Audience.WAREHOUSE), scopes.location(l)]),
      ),
    ];
    for (const c of clients) c.node.addDependency(server);
    this.authorizer = new HttpUserPoolAuthorizer('UserPoolAuthorizer', pool, { userPoolClients: clients });
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'TokenUrl', { value: `${domain.baseUrl()}/oauth2/token` });
  }
}
