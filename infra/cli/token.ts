import { ClientCredentialsToken, listAppClients } from '../local/client-credentials';

/**
 * `npm run token -- <client>`: prints an access token of the running local cloud for one of the
 * template's app clients (ops, channel-<channel>, warehouse-<location>), fetched as that client
 * would: its credentials from Cognito's API, then the client-credentials grant. Without a client,
 * lists them. Use it as `-H "authorization: Bearer $(npm run -s token -- ops)"`.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT || 3000);
  const awsEndpoint =
    process.env.OMS_AWS_ENDPOINT ?? `http://127.0.0.1:${Number(process.env.AWS_PORT || port + 1)}`;
  const name = process.argv[2];
  if (!name) {
    for (const c of await listAppClients(awsEndpoint))
      console.log(`${c.clientName.padEnd(24)} ${c.scopes.join(' ')}`);
    return;
  }
  console.log(await (await ClientCredentialsToken.named(awsEndpoint, name)).token());
}

main().catch((error: Error) => {
  console.error(`${error.message}\n(is the local cloud running? npm start)`);
  process.exit(1);
});
