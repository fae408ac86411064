import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { awsJsonEndpoint } from '../../infra/local/endpoint';
import { close, listen } from '../../infra/local/http-server';
import { LocalSecretsManager } from '../../infra/local/secrets-manager';
import { LocalTemplate } from '../../infra/local/template';
import { SecretsManagerCarrierSecrets } from '../../shared/adapters/aws/secrets-manager-carrier-secrets';

let dynamo: DynamoDbLocal;
let server: Awaited<ReturnType<typeof listen>>;
let client: SecretsManagerClient;
let arn: string;

beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
  const template = new LocalTemplate(
    {
      Resources: {
        SwiftpostSecret: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: {
            Name: 'oms/carriers/swiftpost/webhook',
            GenerateSecretString: {
              SecretStringTemplate: '{}',
              GenerateStringKey: 'current',
              ExcludePunctuation: true,
              PasswordLength: 48,
            },
          },
        },
      },
    },
    '.',
  );
  arn = template.arn('SwiftpostSecret');
  const secrets = await LocalSecretsManager.fromTemplate(dynamo.client, template);
  // Only Secrets Manager's operations are called here.
  server = await listen(awsJsonEndpoint({ secrets } as Parameters<typeof awsJsonEndpoint>[0]), 0);
  client = new SecretsManagerClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client?.destroy();
  if (server) await close(server.server);
  await dynamo?.stop();
});

describe("carriers' webhook secrets in Secrets Manager", () => {
  it('reads the generated secret of a configured carrier, and none for a carrier without one', async () => {
    const secrets = new SecretsManagerCarrierSecrets(client, { swiftpost: arn });
    const [current, ...rest] = await secrets.of('swiftpost');
    expect(current).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(rest).toEqual([]);
    expect(await secrets.of('rapidex')).toEqual([]);
    expect(await secrets.of('__proto__')).toEqual([]);
  });

  it('accepts the previous secret beside the new one while ops rotate, once the five-minute cache is past', async () => {
    let now = 0;
    const secrets = new SecretsManagerCarrierSecrets(client, { swiftpost: arn }, () => now);
    const [old] = await secrets.of('swiftpost');
    await client.send(
      new PutSecretValueCommand({
        SecretId: arn,
        SecretString: JSON.stringify({ current: 'whsec_new', previous: old }),
      }),
    );
    expect(await secrets.of('swiftpost')).toEqual([old]);
    now += 5 * 60 * 1000 + 1;
    expect(await secrets.of('swiftpost')).toEqual(['whsec_new', old]);
  });
});
