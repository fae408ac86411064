import type { LocalCloud } from '../../infra/local/local-cloud';

/** A token of one of the template's app clients, fresh from the local issuer. */
export async function tokenOf(
  cloud: LocalCloud,
  clientName: string,
  options: Parameters<LocalCloud['cognito']['issueToken']>[1] = {},
): Promise<string> {
  const client = cloud.cognito.clients().find((c) => c.clientName === clientName);
  if (!client) throw new Error(`no client ${clientName}`);
  return (await cloud.cognito.issueToken(client.clientId, options)).token;
}
