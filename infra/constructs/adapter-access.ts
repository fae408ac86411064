import type { awsAdapters } from '../../shared/adapters/aws/dependencies';

export type AdapterName = keyof typeof awsAdapters;

/** A resource outside the table an adapter reaches, bound (env + IAM) by OmsFunction. */
export type AdapterNeed =
  | 'bus'
  | 'workflow'
  | 'workflowHistory'
  | 'returnWorkflow'
  | 'webhookWorkflow'
  | 'bulkJobWorkflow'
  | 'taskCallbacks'
  | 'carrierSecrets'
  | 'mailer'
  | 'deadLetterQueues'
  | 'redriveTargets';

/** Needs with a read-only form a GET route may have (peeking at the dead-letter queues, reading executions). */
export const READABLE_NEEDS: ReadonlySet<AdapterNeed> = new Set(['deadLetterQueues', 'workflowHistory']);

/**
 * What each adapter of `shared/adapters/aws/dependencies.ts` sends, as IAM actions: the table
 * operations its commands use (a transaction needs each kind of write it holds) and any other
 * resource. The least-privilege infra test derives the same from the adapters' code, so this
 * table cannot drift from it.
 */
export const ADAPTER_ACCESS: Record<AdapterName, { table?: readonly string[]; need?: AdapterNeed }> = {
  orders: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  activity: { table: ['Query', 'BatchWriteItem'] },
  kpis: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  ledger: { table: ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  locations: { table: ['GetItem', 'Query', 'PutItem'] },
  backorders: { table: ['Query', 'BatchWriteItem', 'DeleteItem'] },
  alerts: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  routingPolicies: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  routingDecisions: { table: ['GetItem', 'PutItem'] },
  returnPolicies: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  stockBuffers: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  subscriptions: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  returns: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  shipments: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  releaseWaits: { table: ['Query', 'PutItem', 'DeleteItem'] },
  notifications: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  carriers: {},
  payments: { table: ['GetItem', 'PutItem'] },
  callbacks: { need: 'taskCallbacks' },
  carrierSecrets: { need: 'carrierSecrets' },
  mailer: { need: 'mailer' },
  workflow: { need: 'workflow' },
  executions: { need: 'workflowHistory' },
  returnWorkflow: { need: 'returnWorkflow' },
  events: { need: 'bus' },
  deadLetters: { need: 'deadLetterQueues' },
  functions: { need: 'redriveTargets' },
  webhooks: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  webhookRetries: { need: 'webhookWorkflow' },
  webhookSender: {},
  bulkJobs: { table: ['GetItem', 'Query', 'PutItem'] },
  bulkJobRunner: { need: 'bulkJobWorkflow' },
};

/** Table operations that only read. */
export const TABLE_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
