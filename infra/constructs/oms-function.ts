import * as path from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface OmsFunctionProps {
  /** Handler file, relative to the project root, e.g. `functions/http/place-order.ts`. */
  entry: string;
  /** @default 29 seconds: just under HTTP API's 30 s integration limit, so a slow write still answers */
  timeout?: Duration;
  /** @default 512 MB */
  memorySize?: number;
}

/**
 * A Lambda function of the OMS: Node 22 on arm64, bundled by the project's esbuild as ESM,
 * JSON logs, X-Ray tracing. Access to other resources only through the `bind*` methods, which
 * grant the IAM permission and set the environment variable the adapters read, in one call.
 */
export class OmsFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: OmsFunctionProps) {
    super(scope, id);
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'oms',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Error class names are what the state machines' Catch/Retry match (DomainError sets
        // `name` from its class): minified without this, NotFoundError would reach the ASL as `t`.
        keepNames: true,
        logLevel: nodejs.LogLevel.WARNING,
        // No source maps: --enable-source-maps makes the first error of a cold start cost over a second.
        sourceMap: false,
        mainFields: ['module', 'main'],
        // Bundle the SDK instead of using the runtime's copy: the version is pinned by our lockfile,
        // and the same self-contained bundle runs on Lambda and in the local cloud.
        externalModules: [],
        // Some dependencies still call require(); give the ESM bundle one.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });
  }

  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  bindEventBus(bus: IEventBus): this {
    bus.grantPutEventsTo(this.fn);
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    return this;
  }

  /**
   * Lets the function answer waiting workflow tasks (SendTaskSuccess/Failure/Heartbeat). Scoped to
   * this account's state machines by ARN pattern: naming the order state machine itself would make
   * a cycle (it invokes this function, this function's policy would name it).
   */
  bindTaskCallbacks(): this {
    const stack = Stack.of(this);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    return this;
  }

  /**
   * Lets the function read the carriers' webhook secrets (one Secrets Manager secret per carrier)
   * and tells it which secret is whose; the secrets themselves never enter the template.
   */
  bindCarrierSecrets(secrets: Record<string, ISecret>): this {
    for (const secret of Object.values(secrets)) secret.grantRead(this.fn);
    this.fn.addEnvironment(
      'CARRIER_WEBHOOK_SECRET_ARNS',
      Stack.of(this).toJsonString(
        Object.fromEntries(Object.entries(secrets).map(([carrier, secret]) => [carrier, secret.secretArn])),
      ),
    );
    return this;
  }

  /**
   * Lets the function send email through SES as `from`, and nothing else: the address or its
   * domain must be a verified SES identity (SendEmail authorizes against whichever one it is).
   */
  bindMailer(from: string): this {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identity(from), identity(from.slice(from.indexOf('@') + 1))],
      }),
    );
    this.fn.addEnvironment('NOTIFICATION_FROM_EMAIL', from);
    return this;
  }

  bindOrderWorkflow(stateMachine: IStateMachine): this {
    stateMachine.grantStartExecution(this.fn);
    this.fn.addEnvironment('ORDER_WORKFLOW_ARN', stateMachine.stateMachineArn);
    return this;
  }
}
