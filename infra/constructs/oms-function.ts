import * as path from 'node:path';
import { ArnFormat, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OrderIndex } from '../../shared/adapters/aws/order-item';
import { ADAPTER_ACCESS, type AdapterName, READABLE_NEEDS, TABLE_READS } from './adapter-access';
import { handlerCode } from './handler-bundles';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface OmsFunctionProps {
  /** Handler file, relative to the project root, e.g. `functions/http/place-order.ts`. */
  entry: string;
  /** @default 29 seconds: just under HTTP API's 30 s integration limit, so a slow write still answers */
  timeout?: Duration;
  /** @default 512 MB */
  memorySize?: number;
  /** Shell commands that add files to the bundle (`outputDir` is the bundle's folder). */
  afterBundling?: (outputDir: string) => string[];
}

/** The resources the adapters reach; a function is bound to those its adapters need. */
export interface OmsResources {
  table: ITableV2;
  bus: IEventBus;
  stateMachine?: IStateMachine;
  returnStateMachine?: IStateMachine;
  webhookStateMachine?: IStateMachine;
  bulkJobStateMachine?: IStateMachine;
  carrierSecrets?: Record<string, ISecret>;
  fromEmail?: string;
  /** The dead-letter queue of each function fed by events, by the function's name. */
  deadLetterQueues?: Record<string, IQueue>;
  /** The functions a dead-letter redrive may invoke again (those fed by events). */
  redriveTargets?: IFunction[];
  /** The queue a redrive sends a letter back to, by dead-letter queue, for a consumer that reads one in batches. */
  redriveQueues?: Record<string, IQueue>;
}

/**
 * Lambda's on-failure destination on an SQS queue, granting the function only sqs:SendMessage
 * (what Lambda sends with the function's role). CDK's SqsDestination grants GetQueueAttributes and
 * GetQueueUrl besides, which the least-privilege test would rightly flag as unused.
 */
class QueueOnFailure implements lambda.IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    return { destination: this.queue.queueArn };
  }
}

/**
 * A function's role that keeps its grants in itself (one inline policy) instead of CDK's separate
 * AWS::IAM::Policy: that default policy doubles every function's IAM resources, and the stack
 * lives under CloudFormation's 500. A separate policy exists to break dependency cycles; no grant
 * of an OMS function names anything that depends on that function (CDK refuses a cycle at synth).
 */
class InlinePolicyRole extends iam.Role {
  private readonly inline: iam.PolicyDocument;

  constructor(scope: Construct, id: string) {
    const grants = new iam.PolicyDocument();
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { Grants: grants },
    });
    this.inline = grants;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.inline.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * A Lambda function of the OMS: Node 22 on arm64, bundled by the project's esbuild as ESM,
 * JSON logs, X-Ray tracing. Access to other resources only through `uses`, naming the adapters
 * its handler builds: each grants exactly the IAM actions that adapter sends and sets the
 * environment variable it reads, in one call.
 */
export class OmsFunction extends Construct {
  readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: OmsFunctionProps) {
    super(scope, id);
    const logGroup = OmsFunction.sharedLogGroup(this);
    // Its own role, writing only to the functions' log group (not the managed basic execution
    // role, which may create and write any log group).
    const role = new InlinePolicyRole(this, 'Role');
    logGroup.grantWrite(role);
    this.fn = new lambda.Function(this, 'Function', {
      role,
      code: handlerCode(PROJECT_ROOT, props.entry, props.afterBundling),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'oms',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    // Which handler this is: the least-privilege test derives the function's grants from its code.
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata('oms:entry', props.entry);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is a Lambda-supported LTS line; the local cloud pins the same major (node@22 in devDependencies) so both run identical bundles. The two move to the next LTS together.',
    });
  }

  /**
   * One log group for every function of the stack: Lambda names each stream after its function
   * (YYYY/MM/DD/<function>[<version>]<id>) in a custom log group, so the mapping stays, and a
   * group per function would cost 70 of the stack's 500 CloudFormation resources.
   */
  static sharedLogGroup(scope: Construct): logs.LogGroup {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild('FunctionLogs') as logs.LogGroup | undefined) ??
      new logs.LogGroup(stack, 'FunctionLogs', { retention: logs.RetentionDays.ONE_MONTH })
    );
  }

  /**
   * Grants what the named adapters send and nothing else; `readOnly` (a GET route, a simulation)
   * keeps only the table reads, whatever else the adapters could do.
   */
  uses(
    adapters: readonly AdapterName[],
    resources: OmsResources,
    options: { readOnly?: boolean } = {},
  ): this {
    const access = adapters.map((a) => ADAPTER_ACCESS[a]);
    const table = [...new Set(access.flatMap((a) => a.table ?? []))].filter(
      (action) => !options.readOnly || TABLE_READS.has(action),
    );
    if (options.readOnly) (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata('oms:readOnly', true);
    if (table.length > 0) this.bindTable(resources.table, table);
    const needs = new Set(
      access.flatMap((a) => (a.need && (!options.readOnly || READABLE_NEEDS.has(a.need)) ? [a.need] : [])),
    );
    const required = <T>(value: T | undefined, what: string): T => {
      if (value === undefined)
        throw new Error(`${this.node.id} uses ${what}, which the stack did not provide`);
      return value;
    };
    if (needs.has('deadLetterQueues'))
      this.bindDeadLetterQueues(
        required(resources.deadLetterQueues, 'dead-letter queues'),
        resources.redriveQueues ?? {},
        options,
      );
    if (needs.has('redriveTargets'))
      this.bindRedriveTargets(
        required(resources.redriveTargets, 'redrive targets'),
        resources.redriveQueues ?? {},
      );
    if (needs.has('workflowHistory'))
      this.bindWorkflowHistory(required(resources.stateMachine, 'the order workflow'));
    if (options.readOnly) return this;
    if (needs.has('workflowHistory'))
      required(resources.stateMachine, 'the order workflow').grantExecution(
        this.fn,
        'states:RedriveExecution',
      );
    if (needs.has('bus')) this.bindEventBus(resources.bus);
    if (needs.has('taskCallbacks')) this.bindTaskCallbacks();
    if (needs.has('workflow'))
      this.bindWorkflow('ORDER_WORKFLOW_ARN', required(resources.stateMachine, 'the order workflow'));
    if (needs.has('returnWorkflow'))
      this.bindWorkflow('RETURN_WORKFLOW_ARN', required(resources.returnStateMachine, 'the return workflow'));
    if (needs.has('bulkJobWorkflow'))
      this.bindWorkflow(
        'BULK_JOB_WORKFLOW_ARN',
        required(resources.bulkJobStateMachine, 'the bulk job workflow'),
      );
    if (needs.has('webhookWorkflow'))
      this.bindWorkflow(
        'WEBHOOK_WORKFLOW_ARN',
        required(resources.webhookStateMachine, 'the webhook retry workflow'),
      );
    if (needs.has('carrierSecrets'))
      this.bindCarrierSecrets(required(resources.carrierSecrets, 'carrier secrets'));
    if (needs.has('mailer')) this.bindMailer(required(resources.fromEmail, 'a sender address'));
    return this;
  }

  private bindTable(table: ITableV2, actions: string[]): void {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        // The table's own indexes, by name (the table construct declares the same ones).
        resources: [
          table.tableArn,
          ...(actions.includes('Query')
            ? Object.values(OrderIndex).map((index) => `${table.tableArn}/index/${index.name}`)
            : []),
        ],
      }),
    );
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
  }

  private bindEventBus(bus: IEventBus): void {
    bus.grantPutEventsTo(this.fn);
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
  }

  /**
   * Lets the function answer waiting workflow tasks (SendTaskSuccess/Failure/Heartbeat). Scoped to
   * this account's state machines by ARN pattern: naming the order state machine itself would make
   * a cycle (it invokes this function, this function's policy would name it).
   */
  private bindTaskCallbacks(): void {
    const stack = Stack.of(this);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        // SendTaskSuccess is authorized on the state machine the token belongs to.
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
    Validations.of(this.fn.role as iam.IRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:*]',
      reason:
        "Answering task tokens of this account's state machines: naming the order state machine itself would make a dependency cycle (it invokes this function).",
    });
  }

  /**
   * Lets the function read the carriers' webhook secrets (one Secrets Manager secret per carrier)
   * and tells it which secret is whose; the secrets themselves never enter the template.
   */
  private bindCarrierSecrets(secrets: Record<string, ISecret>): void {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: Object.values(secrets).map((secret) => secret.secretArn),
      }),
    );
    this.fn.addEnvironment(
      'CARRIER_WEBHOOK_SECRET_ARNS',
      Stack.of(this).toJsonString(
        Object.fromEntries(Object.entries(secrets).map(([carrier, secret]) => [carrier, secret.secretArn])),
      ),
    );
  }

  /**
   * Lets the function send email through SES as `from`, and nothing else: the address or its
   * domain must be a verified SES identity (SendEmail authorizes against whichever one it is).
   */
  private bindMailer(from: string): void {
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
  }

  /**
   * Asynchronous invocations (EventBridge's) that failed on every attempt go to `queue`, whole,
   * after two retries within six hours (Lambda's defaults, stated so the template says them).
   */
  onAsyncFailure(queue: IQueue): this {
    this.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new QueueOnFailure(queue),
    });
    return this;
  }

  /** Peeks at the dead-letter queues, or (not read-only) also takes, returns and removes letters. */
  private bindDeadLetterQueues(
    queues: Record<string, IQueue>,
    sources: Record<string, IQueue>,
    { readOnly }: { readOnly?: boolean },
  ): void {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'sqs:ReceiveMessage',
          'sqs:GetQueueAttributes',
          ...(readOnly ? [] : ['sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
        ],
        resources: Object.values(queues).map((q) => q.queueArn),
      }),
    );
    this.fn.addEnvironment(
      'DEAD_LETTER_QUEUES',
      Stack.of(this).toJsonString(
        Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.queueUrl])),
      ),
    );
    // Where a batched consumer's letters came from: a letter there is redriven back to its queue.
    if (Object.keys(sources).length > 0)
      this.fn.addEnvironment(
        'DEAD_LETTER_SOURCES',
        Stack.of(this).toJsonString(
          Object.fromEntries(Object.entries(sources).map(([name, q]) => [name, q.queueUrl])),
        ),
      );
  }

  /**
   * Invokes again (asynchronously) the functions whose dead letters it redrives, and sends a
   * batched consumer's letters back to its queue; nothing else.
   */
  private bindRedriveTargets(functions: IFunction[], queues: Record<string, IQueue>): void {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: functions.map((f) => f.functionArn),
      }),
    );
    if (Object.keys(queues).length > 0)
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sqs:SendMessage'],
          resources: Object.values(queues).map((q) => q.queueArn),
        }),
      );
  }

  /** Reads the order workflow's executions (list, status, definition, history), and nothing else of it. */
  private bindWorkflowHistory(stateMachine: IStateMachine): void {
    stateMachine.grant(this.fn, 'states:ListExecutions');
    stateMachine.grantExecution(
      this.fn,
      'states:DescribeExecution',
      'states:DescribeStateMachineForExecution',
      'states:GetExecutionHistory',
    );
    // grantExecution names the executions by the machine's name, which CloudFormation only knows
    // as a split of its ARN: that is how the finding reads.
    const machineId = Stack.of(this).getLogicalId(stateMachine.node.defaultChild as CfnElement);
    Validations.of(this.fn.role as iam.IRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}:*]`,
      reason:
        "Reading the order workflow's executions (one per order, named after it): their names are not known at deploy.",
    });
    this.fn.addEnvironment('ORDER_WORKFLOW_ARN', stateMachine.stateMachineArn);
  }

  private bindWorkflow(variable: string, stateMachine: IStateMachine): void {
    stateMachine.grantStartExecution(this.fn);
    this.fn.addEnvironment(variable, stateMachine.stateMachineArn);
  }
}
