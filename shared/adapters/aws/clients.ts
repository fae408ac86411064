import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Built once per cold start; endpoints come from AWS_ENDPOINT_URL_* when the local cloud runs us.
let documentClient: DynamoDBDocumentClient | undefined;
let sfnClient: SFNClient | undefined;
let eventBridgeClient: EventBridgeClient | undefined;
let sesClient: SESv2Client | undefined;
let secretsClient: SecretsManagerClient | undefined;
let queueClient: SQSClient | undefined;
let functionsClient: LambdaClient | undefined;

/**
 * Every table call asks DynamoDB for the capacity it consumed (free, on AWS as on DynamoDB Local):
 * the cost to serve (npm run cost) counts the read and write units each function uses.
 */
function withConsumedCapacity(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        TableName?: unknown;
        RequestItems?: unknown;
        TransactItems?: unknown;
        ReturnConsumedCapacity?: string;
      };
      if (
        input.TableName !== undefined ||
        input.RequestItems !== undefined ||
        input.TransactItems !== undefined
      )
        input.ReturnConsumedCapacity ??= 'TOTAL';
      return next(args);
    },
    { step: 'initialize', name: 'omsReturnConsumedCapacity' },
  );
  return client;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(withConsumedCapacity(new DynamoDBClient({})), {
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

export function sqsClient(): SQSClient {
  // A queue URL names the queue; requests go to the configured endpoint (the local cloud's, or SQS's own).
  queueClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return queueClient;
}

export function lambdaClient(): LambdaClient {
  functionsClient ??= new LambdaClient({});
  return functionsClient;
}
