import { ClientCredentialsToken } from '../local/client-credentials';

/**
 * The `authorization` header an ops CLI sends: `OMS_TOKEN` when set (on AWS, a token from the
 * Cognito domain's /oauth2/token), else a token of the local cloud's ops client, fetched from
 * its AWS endpoint (the API's port + 1 unless `OMS_AWS_ENDPOINT` says otherwise).
 */
export async function opsAuthorization(apiUrl: string): Promise<string> {
  if (process.env.OMS_TOKEN) return `Bearer ${process.env.OMS_TOKEN}`;
  const api = new URL(apiUrl);
  const awsEndpoint =
    process.env.OMS_AWS_ENDPOINT ?? `${api.protocol}//${api.hostname}:${Number(api.port) + 1}`;
  return `Bearer ${await (await ClientCredentialsToken.named(awsEndpoint, 'ops')).token()}`;
}
