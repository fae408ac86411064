import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError } from './aws-error';
import type { LocalCognito } from './cognito';
import type { LocalEventBus, PutEventsEntry } from './event-bus';
import { readBody } from './http-server';
import type { LocalSecretsManager } from './secrets-manager';
import type { LocalSqs } from './sqs';
import type { LocalStepFunctions } from './step-functions';

type Operation = (input: Record<string, unknown>) => unknown;

/**
 * The AWS JSON protocol (X-Amz-Target) for Step Functions, EventBridge, Secrets Manager, SQS and
 * Cognito's client reads, so handlers and ops tools use the unchanged SDK clients and CLI through
 * AWS_ENDPOINT_URL_SFN, _EVENTBRIDGE, _SECRETS_MANAGER and _SQS.
 */
export function awsJsonEndpoint({
  sfn,
  bus,
  secrets,
  cognito,
  sqs,
}: {
  sfn: LocalStepFunctions;
  bus: LocalEventBus;
  secrets: LocalSecretsManager;
  cognito: LocalCognito;
  sqs: LocalSqs;
}) {
  const operations: Record<string, Operation> = {
    'AWSStepFunctions.StartExecution': (i) => sfn.startExecution(i as never),
    'AWSStepFunctions.DescribeExecution': (i) => sfn.describeExecution(i as never),
    'AWSStepFunctions.DescribeStateMachineForExecution': (i) =>
      sfn.describeStateMachineForExecution(i as never),
    'AWSStepFunctions.ListExecutions': (i) => sfn.listExecutions(i as never),
    'AWSStepFunctions.GetExecutionHistory': (i) => sfn.getExecutionHistory(i as never),
    'AWSStepFunctions.StopExecution': (i) => sfn.stopExecution(i as never),
    'AWSStepFunctions.RedriveExecution': (i) => sfn.redriveExecution(i as never),
    'AWSStepFunctions.SendTaskSuccess': (i) => sfn.sendTaskSuccess(i as never),
    'AWSStepFunctions.SendTaskFailure': (i) => sfn.sendTaskFailure(i as never),
    'AWSStepFunctions.SendTaskHeartbeat': (i) => sfn.sendTaskHeartbeat(i as never),
    'AWSStepFunctions.ListStateMachines': () => ({ stateMachines: sfn.listStateMachines() }),
    'secretsmanager.GetSecretValue': (i) => secrets.getSecretValue(i),
    'secretsmanager.PutSecretValue': (i) => secrets.putSecretValue(i),
    'secretsmanager.ListSecrets': () => secrets.listSecrets(),
    'AWSCognitoIdentityProviderService.ListUserPools': () => cognito.listUserPools(),
    'AWSCognitoIdentityProviderService.ListUserPoolClients': (i) => cognito.listUserPoolClients(i),
    'AWSCognitoIdentityProviderService.DescribeUserPoolClient': (i) => cognito.describeUserPoolClient(i),
    'AmazonSQS.SendMessage': (i) => sqs.sendMessage(i as never),
    'AmazonSQS.ReceiveMessage': (i) => sqs.receiveMessage(i as never),
    'AmazonSQS.DeleteMessage': (i) => sqs.deleteMessage(i as never),
    'AmazonSQS.ChangeMessageVisibility': (i) => sqs.changeMessageVisibility(i as never),
    'AmazonSQS.GetQueueAttributes': (i) => sqs.getQueueAttributes(i as never),
    'AmazonSQS.GetQueueUrl': (i) => sqs.getQueueUrl(i as never),
    'AmazonSQS.ListQueues': () => sqs.listQueues(),
    'AmazonSQS.PurgeQueue': (i) => sqs.purgeQueue(i as never),
    'AWSEvents.PutEvents': (i) => {
      const entries = (i.Entries ?? []) as PutEventsEntry[];
      if (entries.length < 1 || entries.length > 10) {
        throw new AwsServiceError('ValidationException', 'Entries must hold 1 to 10 events');
      }
      return bus.putEvents(entries);
    },
  };

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const contentType =
      target.startsWith('AWSEvents.') ||
      target.startsWith('secretsmanager.') ||
      target.startsWith('AWSCognitoIdentityProviderService.')
        ? 'application/x-amz-json-1.1'
        : 'application/x-amz-json-1.0';
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(JSON.stringify(body));
    };
    const operation = operations[target];
    if (!operation) {
      reply(400, {
        __type: 'UnknownOperationException',
        message: `Operation ${target || '(none)'} is not emulated`,
      });
      return;
    }
    const body = await readBody(request, 1024 * 1024);
    try {
      const input =
        body && body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      reply(200, await operation(input));
    } catch (error) {
      if (error instanceof AwsServiceError)
        reply(error.status, { __type: error.code, message: error.message });
      else if (error instanceof SyntaxError)
        reply(400, { __type: 'SerializationException', message: error.message });
      else throw error;
    }
  };
}
