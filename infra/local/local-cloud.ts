import type { Server } from 'node:http';
import type { Writable } from 'node:stream';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { LocalCognito, userPoolIssuer } from './cognito';
import { type DynamoDbLocal, databaseIn, ensureTables, startDynamoDbLocal, templateTables } from './dynamodb';
import { type DynamoDbMeter, startDynamoDbMeter } from './dynamodb-meter';
import { LocalEmail } from './email';
import { awsJsonEndpoint } from './endpoint';
import { LocalEventBus, type PutEventsEntry } from './event-bus';
import { LocalEventSourceMappings } from './event-source-mappings';
import { ExecutionJournal } from './execution-journal';
import { type HttpRoute, httpApiHandler, unsupportedRouteFeatures } from './http-api';
import { close, listen } from './http-server';
import { LocalJwtAuthorizers } from './jwt-authorizer';
import { findLambda, functionAppIds, type LocalLambda, templateLambdas } from './lambda';
import { LocalLambdaApi } from './lambda-api';
import { LocalAsyncInvoker } from './lambda-async';
import { LocalSecretsManager } from './secrets-manager';
import { LocalSqs } from './sqs';
import { LocalStepFunctions } from './step-functions';
import { LocalTemplate } from './template';
import type { CloudUsage } from './usage';

export interface LocalCloudOptions {
  /** Cloud assembly (cdk.out) holding the synthesized template and the bundled functions. */
  assemblyDir: string;
  stackName: string;
  /** Port of the HTTP API; 0 picks a free one. @default 3000 */
  port?: number;
  /** Port of the Step Functions / EventBridge endpoint; 0 picks a free one. @default 0 */
  awsPort?: number;
  /** Folder for DynamoDB Local's data; in memory when absent. */
  dataDir?: string;
  /**
   * A DynamoDB Local already running with `databasePerKey` (the test run's): the cloud keeps its
   * tables in a database of its own there, deleted at stop, instead of starting a JVM.
   */
  sharedDynamoDbEndpoint?: string;
  /** Folder the local SES delivers mail into as .eml files; in memory only when absent. */
  mailDir?: string;
  /** Where function logs go. @default process.stdout */
  functionLogs?: Writable;
  /** Count DynamoDB item writes per caller (the bench's writes per order by stage). @default false */
  meterDynamoDb?: boolean;
  /**
   * Function invocations that no caller waits on (workflow tasks, EventBridge and other
   * asynchronous invocations) running at once; the rest queue in arrival order. @default 8
   */
  backgroundConcurrency?: number;
  /**
   * Tests only: milliseconds a state's Retry waits between attempts (by state name), instead of
   * the template's backoff (a webhook subscriber's 30 s, doubling, would outlast a test).
   */
  retryIntervalOverrides?: Record<string, number>;
}

export interface LocalCloud {
  apiUrl: string;
  /** Step Functions and EventBridge endpoint (AWS JSON protocol). */
  awsEndpoint: string;
  dynamodbEndpoint: string;
  /** What a client of this cloud's DynamoDB signs with (its tables are that key's in a shared DynamoDB Local). */
  dynamodbCredentials: { accessKeyId: string; secretAccessKey: string };
  template: LocalTemplate;
  routes: HttpRoute[];
  /** Executions found running in the journal at start; they resume in the background (`stepFunctions.resumed()`). */
  resumedExecutions: number;
  /** Milliseconds each part of the start took (DynamoDB Local, tables, listing what to resume). */
  startup: Record<'database' | 'tables' | 'resume', number>;
  /** DynamoDB Local's Java process, for the bench's memory figure. */
  dynamodbPid: number | undefined;
  lambdas: Map<string, LocalLambda>;
  stepFunctions: LocalStepFunctions;
  eventBus: LocalEventBus;
  /** The local SES: what the functions sent. */
  email: LocalEmail;
  /** The template's secrets (a carrier's simulator reads its webhook secret here). */
  secrets: LocalSecretsManager;
  /** The template's user pools: app clients, their secrets, tokens (the JWT authorizers trust these). */
  cognito: LocalCognito;
  /** The template's SQS queues (the dead-letter queues, and the queues projections read in batches). */
  sqs: LocalSqs;
  /** Item writes and requests so far by caller (function logical id, `LocalCloud` for its own tables); with meterDynamoDb only. */
  dynamoMeter?: Pick<DynamoDbMeter, 'writes' | 'writesByKind' | 'requests' | 'capacity'>;
  /** What the run so far would have used on AWS (capacity units with meterDynamoDb only). */
  usage(): CloudUsage;
  /** Resolves when no event is being delivered and every execution has ended or waits on a token. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Everything in the template the local cloud cannot run; it refuses to start rather than pretend. */
export function unsupportedParts(template: LocalTemplate): string[] {
  const poolIssuers = template
    .resourcesOfType('AWS::Cognito::UserPool')
    .map((p) => userPoolIssuer(p.logicalId));
  return [
    ...template.unsupportedResources().map((r) => `resource ${r} is not emulated`),
    ...unsupportedRouteFeatures(template),
    ...LocalJwtAuthorizers.unsupported(template, poolIssuers),
    ...LocalEventBus.unsupported(template),
    ...LocalAsyncInvoker.unsupported(template),
    ...LocalSqs.unsupported(template),
    ...LocalEventSourceMappings.unsupported(template),
    ...LocalStepFunctions.unsupported(template),
  ];
}

/** Step Functions' optimized DynamoDB integrations, as SDK commands. */
const DYNAMODB_ACTIONS: Record<
  string,
  (client: DynamoDBClient, input: never) => Promise<{ $metadata: unknown }>
> = {
  getItem: (client, input) => client.send(new GetItemCommand(input)),
  putItem: (client, input) => client.send(new PutItemCommand(input)),
  updateItem: (client, input) => client.send(new UpdateItemCommand(input)),
  deleteItem: (client, input) => client.send(new DeleteItemCommand(input)),
};

/**
 * Starts the whole system on this machine from the synthesized template: DynamoDB Local with the
 * template's tables, the functions, the HTTP API, the state machines and the event rules.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const template = LocalTemplate.load(options.assemblyDir, options.stackName);
  const problems = unsupportedParts(template);
  if (problems.length > 0) {
    throw new Error(`The local cloud cannot run this template:\n  - ${problems.join('\n  - ')}`);
  }
  const log = options.functionLogs ?? process.stdout;
  if (options.dataDir && options.sharedDynamoDbEndpoint)
    throw new Error('A local cloud keeps its data on disk (dataDir) or in a shared DynamoDB Local, not both');
  const [dynamo, database]: [DynamoDbLocal, number] = await timed(() =>
    options.sharedDynamoDbEndpoint
      ? databaseIn(options.sharedDynamoDbEndpoint)
      : startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {}),
  );
  const servers: Server[] = [];
  let lambdas = new Map<string, LocalLambda>();
  let meter: DynamoDbMeter | undefined;
  let storage: DynamoDBClient = dynamo.client;
  /** Everything but the state machines, in the order it must end; each part even when another failed. */
  const release = async () => {
    await Promise.allSettled(servers.map(close));
    await Promise.allSettled([...lambdas.values()].map((l) => l.stop()));
    if (storage !== dynamo.client) storage.destroy();
    await meter?.stop();
    await dynamo.stop();
  };
  try {
    const appIds = functionAppIds(template);
    const functionOf = new Map([...appIds].map(([logicalId, appId]) => [appId, logicalId]));
    meter = options.meterDynamoDb
      ? await startDynamoDbMeter(dynamo.endpoint, (appId) => functionOf.get(appId) ?? appId)
      : undefined;
    // The local cloud's own writes (journal, queues, secrets) are metered too, under one name.
    storage = meter
      ? new DynamoDBClient({
          endpoint: meter.endpoint,
          region: await dynamo.client.config.region(),
          credentials: dynamo.credentials,
          userAgentAppId: 'LocalCloud',
        })
      : dynamo.client;
    const [, tables] = await timed(() => ensureTables(storage, templateTables(template)));
    const journal = new ExecutionJournal(storage);
    await journal.ensureTable();
    const secrets = await LocalSecretsManager.fromTemplate(storage, template);
    const cognito = await LocalCognito.fromTemplate(storage, template);
    const authorizers = LocalJwtAuthorizers.fromTemplate(template, (issuer) => cognito.jwks(issuer));
    const sqs = await LocalSqs.fromTemplate(storage, template);
    const sendToQueue = async (queueArn: string, body: string, attributes: Record<string, string> = {}) => {
      await sqs.sendMessage({
        QueueUrl: queueArn,
        MessageBody: body,
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      });
    };
    // One machine has no spare containers: background work (workflow tasks, asynchronous
    // invocations) takes turns in one bounded lane, so it cannot crowd out the requests a caller
    // waits on (the HTTP API) for DynamoDB Local's and the cores' time. On AWS each invocation has
    // its own container; here queueing is the only difference, and a function's timeout starts
    // when it runs, as on Lambda, not while it queues.
    const background = pLimit(options.backgroundConcurrency ?? 8);
    const asyncInvoker = LocalAsyncInvoker.fromTemplate(template, sendToQueue, background);

    // The AWS endpoint is needed in the functions' environment before the services behind it exist.
    let serveAws: Parameters<typeof listen>[0] = async () => {};
    const aws = await listen((req, res) => serveAws(req, res), options.awsPort ?? 0);
    servers.push(aws.server);
    const cloudEnvironment = {
      AWS_ENDPOINT_URL_DYNAMODB: meter?.endpoint ?? dynamo.endpoint,
      AWS_ENDPOINT_URL_SFN: aws.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
      AWS_ENDPOINT_URL_SESV2: aws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ENDPOINT_URL_SQS: aws.url,
      AWS_ENDPOINT_URL_LAMBDA: aws.url,
      // The functions' SDK clients sign with the key whose database holds this cloud's tables.
      AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
      // What only one machine changes for a handler: outbound webhooks go to this machine alone.
      OMS_RUNTIME: 'local',
    };
    // Each function's worker starts at its first call, a cold start as on Lambda: a run uses a
    // few of the template's functions, and each worker loads a ~1 MB bundle. Warming all of them
    // at the start spent seconds of CPU on functions nobody called and held ~3.7 GiB RSS under
    // load; 300 orders placed now leave 10 workers and ~0.85 GiB.
    lambdas = templateLambdas(template, cloudEnvironment, log, appIds);
    const lambda = (nameOrArn: string) => {
      const fn = findLambda(lambdas, nameOrArn);
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
          name: 'Lambda.ResourceNotFoundException',
        });
      return fn;
    };

    let stepFunctions: LocalStepFunctions | undefined;
    // EventBridge invokes functions asynchronously: delivered once Lambda accepted the event.
    const eventBus = LocalEventBus.fromTemplate(
      template,
      async (arn, input) => {
        if (arn.includes(':states:') && stepFunctions) {
          await stepFunctions.startExecution({ stateMachineArn: arn, input: JSON.stringify(input) });
        } else if (arn.startsWith('arn:aws:sqs:')) {
          // EventBridge sends a queue the event itself as the message body.
          await sendToQueue(arn, JSON.stringify(input));
        } else {
          asyncInvoker.invoke(lambda(arn), input);
        }
      },
      sendToQueue,
    );
    stepFunctions = new LocalStepFunctions(
      template,
      journal,
      {
        invokeLambda: async (name, payload, asynchronous) => {
          const fn = lambda(name);
          if (!asynchronous) return background(() => fn.invoke(payload));
          asyncInvoker.invoke(fn, payload);
          return null;
        },
        putEvents: async (entries) =>
          eventBus.putEvents(
            (entries as Array<Record<string, unknown>>).map(
              (e) =>
                ({
                  ...e,
                  Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail),
                }) as PutEventsEntry,
            ),
          ),
        dynamodb: async (action, input) => {
          const command = DYNAMODB_ACTIONS[action];
          if (!command) throw new Error(`DynamoDB action ${action} is not emulated`);
          try {
            const { $metadata: _metadata, ...output } = await command(storage, input as never);
            return output;
          } catch (error) {
            throw Object.assign(new Error((error as Error).message), {
              name: `DynamoDB.${(error as Error).name}`,
            });
          }
        },
      },
      options.retryIntervalOverrides,
    );
    // Functions that read a queue in batches (AWS::Lambda::EventSourceMapping) run in the same lane.
    const mappings = LocalEventSourceMappings.fromTemplate(template, sqs, (name, event) =>
      background(() => lambda(name).invoke(event)),
    );
    const email = new LocalEmail(options.mailDir);
    const jsonProtocol = awsJsonEndpoint({ sfn: stepFunctions, bus: eventBus, secrets, cognito, sqs });
    const lambdaApi = new LocalLambdaApi(
      (name) => findLambda(lambdas, name),
      (fn, payload) => asyncInvoker.invoke(fn, payload),
    );
    // SES v2 and Lambda speak REST JSON (by path), Cognito's token endpoint OAuth 2 forms; the rest AWS JSON (by target).
    serveAws = (request, response) => {
      if (LocalEmail.handles(request)) return email.handle(request, response);
      if (LocalLambdaApi.handles(request)) return lambdaApi.handle(request, response);
      if (LocalCognito.handles(request)) return cognito.handle(request, response);
      return jsonProtocol(request, response);
    };

    let apiRequests = 0;
    const http = httpApiHandler(
      template,
      (arn, event) => lambda(arn).invoke(event),
      (auth, headers) => authorizers.authorize(auth.authorizerId, auth.scopes, headers),
    );
    const api = await listen((request, response) => {
      apiRequests++;
      return http.handler(request, response);
    }, options.port ?? 3000);
    servers.push(api.server);
    const [resumedExecutions, resume] = await timed(() => stepFunctions.resumeInterrupted());
    eventBus.startSchedules();
    mappings.start();

    const sfn = stepFunctions;
    return {
      apiUrl: api.url,
      awsEndpoint: aws.url,
      dynamodbEndpoint: dynamo.endpoint,
      dynamodbCredentials: dynamo.credentials,
      template,
      routes: http.routes,
      resumedExecutions,
      startup: { database, tables, resume },
      dynamodbPid: dynamo.pid,
      lambdas,
      stepFunctions: sfn,
      eventBus,
      email,
      secrets,
      cognito,
      sqs,
      ...(meter ? { dynamoMeter: meter } : {}),
      usage: () => ({
        functions: Object.fromEntries([...lambdas.entries()].map(([name, fn]) => [name, fn.usage()])),
        apiRequests,
        events: eventBus.eventsPublished(),
        ...sfn.usage(),
        emails: email.sent().length,
        sqsRequests: sqs.sendRequests() + mappings.billedRequests(),
        ...(meter ? { dynamodb: Object.fromEntries(meter.capacity()) } : {}),
      }),
      idle: async () => {
        // Executions publish events and events start executions: settle until both are quiet.
        do {
          await sfn.idle();
          await asyncInvoker.idle();
          await eventBus.idle();
          await mappings.idle();
        } while (sfn.busyCount() > 0 || asyncInvoker.busy() || mappings.busy());
      },
      stop: async () => {
        // No new requests; deliveries and invocations under way get a moment to land while the
        // AWS endpoint still answers them. Stopped, the bus and Lambda no longer retry: what has
        // not succeeded goes to its dead-letter queue, durable, instead of being lost.
        // Whatever fails on the way, the database still stops (its data on disk stays consistent).
        try {
          await close(api.server);
          eventBus.stop();
          asyncInvoker.stop();
          await Promise.race([
            Promise.all([eventBus.idle(), asyncInvoker.idle(), mappings.idle()]),
            new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
          ]);
          await sfn.shutdown();
          // Functions still running end now; what they leave undone (and what still queued) goes
          // to its dead-letter queue while the database is still up to keep it, and what the
          // batched consumers' queues hold is kept for the next start.
          const batchesEnded = mappings.stop();
          await Promise.allSettled([...lambdas.values()].map((l) => l.stop()));
          await Promise.all([eventBus.idle(), asyncInvoker.idle(), batchesEnded]);
          await sqs.keepHeldMessages();
        } finally {
          await release();
        }
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** The work's result and the milliseconds it took (the start's parts, for the bench). */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - started)];
}
