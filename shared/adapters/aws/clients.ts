import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Built once per cold start; endpoints come from AWS_ENDPOINT_URL_* when the local cloud runs us.
let documentClient: DynamoDBDocumentClient | undefined;
let sfnClient: SFNClient | undefined;
let eventBridgeClient: EventBridgeClient | undefined;
let sesClient: SESv2Client | undefined;
let secretsClient: SecretsManagerClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function stepFunctionsClient(): SFNClient {
  sfnClient ??= new SFNClient({});
  return sfnClient;
}

export function eventsClient(): EventBridgeClient {
  eventBridgeClient ??= new EventBridgeClient({});
  return eventBridgeClient;
}

export function emailClient(): SESv2Client {
  sesClient ??= new SESv2Client({});
  return sesClient;
}

export function secretsManagerClient(): SecretsManagerClient {
  secretsClient ??= new SecretsManagerClient({});
  return secretsClient;
}
