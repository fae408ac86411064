/** Calls one Cognito control-plane operation on an AWS JSON 1.1 endpoint. */
async function cognitoCall<T>(endpoint: string, operation: string, input: object): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(input),
  });
  if (!response.ok)
    throw new Error(`Cognito ${operation} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export interface AppClientCredentials {
  clientId: string;
  clientName: string;
  clientSecret: string;
  scopes: string[];
}

/** Every app client of the local cloud's user pools with its secret, as ops read them to hand out. */
export async function listAppClients(awsEndpoint: string): Promise<AppClientCredentials[]> {
  const { UserPools } = await cognitoCall<{ UserPools: Array<{ Id: string }> }>(
    awsEndpoint,
    'ListUserPools',
    {
      MaxResults: 60,
    },
  );
  const all: AppClientCredentials[] = [];
  for (const { Id } of UserPools) {
    const { UserPoolClients } = await cognitoCall<{ UserPoolClients: Array<{ ClientId: string }> }>(
      awsEndpoint,
      'ListUserPoolClients',
      { UserPoolId: Id, MaxResults: 60 },
    );
    for (const { ClientId } of UserPoolClients) {
      const { UserPoolClient: c } = await cognitoCall<{
        UserPoolClient: {
          ClientId: string;
          ClientName: string;
          ClientSecret?: string;
          AllowedOAuthScopes?: string[];
        };
      }>(awsEndpoint, 'DescribeUserPoolClient', { UserPoolId: Id, ClientId });
      all.push({
        clientId: c.ClientId,
        clientName: c.ClientName,
        clientSecret: c.ClientSecret ?? '',
        scopes: c.AllowedOAuthScopes ?? [],
      });
    }
  }
  return all;
}

/**
 * An OAuth 2 client-credentials client of the local cloud's token endpoint: what a channel, a
 * warehouse or an ops tool runs. Tokens are reused until a minute before they expire.
 */
export class ClientCredentialsToken {
  private cached?: { token: string; renewAt: number };

  constructor(
    private readonly awsEndpoint: string,
    private readonly client: AppClientCredentials,
  ) {}

  /** The client named `clientName` (e.g. ops, channel-web, warehouse-cd-sp). */
  static async named(awsEndpoint: string, clientName: string): Promise<ClientCredentialsToken> {
    const clients = await listAppClients(awsEndpoint);
    const client = clients.find((c) => c.clientName === clientName);
    if (!client)
      throw new Error(
        `No app client named ${clientName}; the template has ${clients.map((c) => c.clientName).join(', ')}`,
      );
    return new ClientCredentialsToken(awsEndpoint, client);
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    const basic = Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`).toString('base64');
    const response = await fetch(`${this.awsEndpoint}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    if (!response.ok)
      throw new Error(`The token endpoint answered ${response.status}: ${await response.text()}`);
    const { access_token, expires_in } = (await response.json()) as {
      access_token: string;
      expires_in: number;
    };
    this.cached = { token: access_token, renewAt: Date.now() + (expires_in - 60) * 1000 };
    return access_token;
  }
}
