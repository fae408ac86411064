import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from '../../domain/returns';
import { DEFAULT_ROUTING_POLICY, type RoutingPolicy } from '../../domain/routing';
import { SandboxCarrierNetwork } from '../carriers/sandbox-carriers';
import { SandboxPaymentGateway } from '../payments/sandbox-payment-gateway';
import { FetchWebhookSender } from '../webhooks/fetch-webhook-sender';
import {
  dynamoDocumentClient,
  emailClient,
  eventsClient,
  lambdaClient,
  secretsManagerClient,
  sqsClient,
  stepFunctionsClient,
} from './clients';
import { DynamoAlertLog } from './dynamo-alert-log';
import { DynamoBackorderBook } from './dynamo-backorder-book';
import { DynamoBulkJobStore } from './dynamo-bulk-job-store';
import { DynamoInventoryLedger } from './dynamo-inventory-ledger';
import { DynamoKpiStore } from './dynamo-kpi-store';
import { DynamoLocationRepository } from './dynamo-location-repository';
import { DynamoNotificationOutbox } from './dynamo-notification-outbox';
import { DynamoOrderActivityLog } from './dynamo-order-activity-log';
import { DynamoOrderRepository } from './dynamo-order-repository';
import { DynamoPolicyStore } from './dynamo-policy-store';
import { DynamoReleaseWaits } from './dynamo-release-waits';
import { DynamoReturnRepository } from './dynamo-return-repository';
import { DynamoRoutingDecisionStore } from './dynamo-routing-decision-store';
import { DynamoSandboxPaymentLedger } from './dynamo-sandbox-payment-ledger';
import { DynamoShipmentRepository } from './dynamo-shipment-repository';
import { DynamoStockBufferStore } from './dynamo-stock-buffer-store';
import { DynamoSubscriptionStore } from './dynamo-subscription-store';
import { DynamoWebhookStore } from './dynamo-webhook-store';
import { requiredEnv } from './env';
import { EventBridgePublisher } from './eventbridge-publisher';
import { LambdaFunctionInvoker } from './lambda-function-invoker';
import { SecretsManagerCarrierSecrets } from './secrets-manager-carrier-secrets';
import { SesMailer } from './ses-mailer';
import { StepFunctionsOrderExecutions } from './sfn-order-executions';
import {
  StepFunctionsBulkJobRunner,
  StepFunctionsOrderWorkflow,
  StepFunctionsReturnWorkflow,
  StepFunctionsWebhookRetries,
} from './sfn-order-workflow';
import { StepFunctionsCallbacks } from './sfn-workflow-callbacks';
import { SqsDeadLetterQueues } from './sqs-dead-letter-queues';

/**
 * Real adapters, configured from the environment the CDK app sets on each function
 * (each `bind*` in infra/ sets the variable read here and grants the matching IAM access).
 */
export const awsAdapters = {
  orders: () => new DynamoOrderRepository(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  activity: () => new DynamoOrderActivityLog(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  ledger: () => new DynamoInventoryLedger(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  locations: () => new DynamoLocationRepository(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  backorders: () => new DynamoBackorderBook(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  callbacks: () => new StepFunctionsCallbacks(stepFunctionsClient()),
  alerts: () => new DynamoAlertLog(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  routingPolicies: () =>
    new DynamoPolicyStore<RoutingPolicy>(dynamoDocumentClient(), requiredEnv('TABLE_NAME'), {
      pk: 'ROUTING_POLICY',
      name: 'Routing policy',
      fallback: DEFAULT_ROUTING_POLICY,
    }),
  returnPolicies: () =>
    new DynamoPolicyStore<ReturnPolicy>(dynamoDocumentClient(), requiredEnv('TABLE_NAME'), {
      pk: 'RETURN_POLICY',
      name: 'Return policy',
      fallback: DEFAULT_RETURN_POLICY,
    }),
  subscriptions: () => new DynamoSubscriptionStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  stockBuffers: () => new DynamoStockBufferStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  returns: () => new DynamoReturnRepository(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  routingDecisions: () => new DynamoRoutingDecisionStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  shipments: () => new DynamoShipmentRepository(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  releaseWaits: () => new DynamoReleaseWaits(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  carriers: () => new SandboxCarrierNetwork(),
  payments: () =>
    new SandboxPaymentGateway(
      new DynamoSandboxPaymentLedger(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
    ),
  carrierSecrets: () =>
    new SecretsManagerCarrierSecrets(
      secretsManagerClient(),
      JSON.parse(requiredEnv('CARRIER_WEBHOOK_SECRET_ARNS')) as Record<string, string>,
    ),
  notifications: () => new DynamoNotificationOutbox(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  mailer: () => new SesMailer(emailClient(), requiredEnv('NOTIFICATION_FROM_EMAIL')),
  workflow: () => new StepFunctionsOrderWorkflow(stepFunctionsClient(), requiredEnv('ORDER_WORKFLOW_ARN')),
  kpis: () => new DynamoKpiStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  executions: () =>
    new StepFunctionsOrderExecutions(stepFunctionsClient(), requiredEnv('ORDER_WORKFLOW_ARN')),
  returnWorkflow: () =>
    new StepFunctionsReturnWorkflow(stepFunctionsClient(), requiredEnv('RETURN_WORKFLOW_ARN')),
  events: () => new EventBridgePublisher(eventsClient(), requiredEnv('EVENT_BUS_NAME')),
  deadLetters: () =>
    new SqsDeadLetterQueues(
      sqsClient(),
      JSON.parse(requiredEnv('DEAD_LETTER_QUEUES')) as Record<string, string>,
      JSON.parse(process.env.DEAD_LETTER_SOURCES ?? '{}') as Record<string, string>,
    ),
  functions: () => new LambdaFunctionInvoker(lambdaClient()),
  webhooks: () => new DynamoWebhookStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  webhookRetries: () =>
    new StepFunctionsWebhookRetries(stepFunctionsClient(), requiredEnv('WEBHOOK_WORKFLOW_ARN')),
  webhookSender: () => new FetchWebhookSender(),
  bulkJobs: () => new DynamoBulkJobStore(dynamoDocumentClient(), requiredEnv('TABLE_NAME')),
  bulkJobRunner: () =>
    new StepFunctionsBulkJobRunner(stepFunctionsClient(), requiredEnv('BULK_JOB_WORKFLOW_ARN')),
};

/** Where webhooks may be delivered: the local cloud (which says so) delivers only to its own machine. */
export const webhookUrlMode = (): 'aws' | 'local' => (process.env.OMS_RUNTIME === 'local' ? 'local' : 'aws');
