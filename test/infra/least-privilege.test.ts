import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_NAME } from '../../infra/app';
import { PROJECT_ROOT } from '../../infra/constructs/oms-function';
import { API_ROUTES } from '../../shared/contracts/api-routes';
import { actionsOf, grantedStatements, statementsOfRole } from '../support/iam';

/**
 * Least privilege, derived from the code: which adapters each function's handler builds
 * (`awsAdapters.<name>()` in the project files its bundle includes), which SDK commands those
 * adapters send, and therefore which IAM actions the function needs. The template must grant
 * exactly those, and a handler of a GET route never anything that writes.
 */

type Resources = Record<string, { Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

let template: Template;
beforeAll(() => {
  const app = buildApp({ bundling: false });
  template = Template.fromStack(app.node.findChild(STACK_NAME) as never);
});

/** Project source files (not node_modules) an entry's bundle includes. */
async function sourcesOf(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
}

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** SDK command -> the IAM actions it needs (a transaction needs each kind of write it holds). */
const COMMAND_ACTIONS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  TransactWriteCommand: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  PutEventsCommand: ['events:PutEvents'],
  StartExecutionCommand: ['states:StartExecution'],
  DescribeExecutionCommand: ['states:DescribeExecution'],
  DescribeStateMachineForExecutionCommand: ['states:DescribeStateMachineForExecution'],
  GetExecutionHistoryCommand: ['states:GetExecutionHistory'],
  ListExecutionsCommand: ['states:ListExecutions'],
  RedriveExecutionCommand: ['states:RedriveExecution'],
  SendTaskSuccessCommand: ['states:SendTaskSuccess'],
  GetSecretValueCommand: ['secretsmanager:GetSecretValue'],
  SendEmailCommand: ['ses:SendEmail'],
  ReceiveMessageCommand: ['sqs:ReceiveMessage'],
  GetQueueAttributesCommand: ['sqs:GetQueueAttributes'],
  DeleteMessageCommand: ['sqs:DeleteMessage'],
  ChangeMessageVisibilityCommand: ['sqs:ChangeMessageVisibility'],
  InvokeCommand: ['lambda:InvokeFunction'],
  SendMessageCommand: ['sqs:SendMessage'],
};
const WRITES = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'events:PutEvents',
  'states:StartExecution',
  'states:SendTaskSuccess',
  'states:RedriveExecution',
  'ses:SendEmail',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:SendMessage',
  'lambda:InvokeFunction',
]);
/** What every function needs, whatever the code: writing its own log group, and active tracing. */
const RUNTIME = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];

/** IAM actions each `awsAdapters` factory's adapter can use, from the commands its sources send. */
async function adapterActions(): Promise<Map<string, string[]>> {
  const file = 'shared/adapters/aws/dependencies.ts';
  const source = read(file);
  const imports = new Map(
    [...source.matchAll(/import \{([\w,\s]+)\} from '(\.\.?\/[\w/-]+)'/g)].flatMap((m) =>
      (m[1] as string)
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
        .map((name) => [name, m[2] as string] as const),
    ),
  );
  const actions = new Map<string, string[]>();
  // Each factory's whole expression: an adapter may be built over another (a gateway over its store).
  for (const [, factory, body] of source.matchAll(/(\w+): \(\) =>([\s\S]*?)(?=\n {2}\w+: \(\) =>|\n\};)/g)) {
    const classes = [...(body as string).matchAll(/new (\w+)(?:<\w+>)?\(/g)].map((m) => m[1] as string);
    const commands: string[] = [];
    for (const className of classes) {
      const module = imports.get(className);
      if (!module) continue; // an SDK client, built by clients.ts
      const sources = await sourcesOf(path.join('shared/adapters/aws', `${module}.ts`));
      commands.push(
        ...sources.flatMap((s) => [...read(s).matchAll(/new (\w+Command)\(/g)].map((m) => m[1] as string)),
      );
    }
    if (classes.length === 0) throw new Error(`factory ${factory} of ${file} builds nothing`);
    actions.set(
      factory as string,
      commands.flatMap((c) => COMMAND_ACTIONS[c] ?? []),
    );
  }
  return actions;
}

async function adaptersBuiltBy(entry: string): Promise<string[]> {
  const sources = (await sourcesOf(entry)).filter((s) => s.startsWith('functions/'));
  return [
    ...new Set(
      sources.flatMap((s) => [...read(s).matchAll(/awsAdapters\.(\w+)\(/g)].map((m) => m[1] as string)),
    ),
  ];
}

/** The role's actions, flattened and sorted. */
function grantedActions(roleId: string): string[] {
  return [...new Set(actionsOf(statementsOfRole(template, roleId)))].sort();
}

/**
 * What Lambda itself sends with a function's role: the on-failure destination of its asynchronous
 * invocations (sqs:SendMessage on that one queue).
 */
function destinationActions(functionId: string): string[] {
  const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig') as Resources).filter(
    (c) => (c.Properties.FunctionName as { Ref: string }).Ref === functionId,
  );
  return configs.some((c) => c.Properties.DestinationConfig) ? ['sqs:SendMessage'] : [];
}

/** What Lambda's poller sends with a function's role when it reads a queue in batches (an event source mapping). */
function eventSourceActions(functionId: string): string[] {
  const mappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping') as Resources,
  ).filter((m) => (m.Properties.FunctionName as { Ref: string }).Ref === functionId);
  return mappings.length > 0 ? ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'] : [];
}

/** Logical ids of the functions behind the API's GET routes, read from the routes' integrations. */
function getRouteFunctions(): Set<string> {
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Resources;
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
  const functionOf = (target: unknown): string => {
    const ref = (target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].find(
      (part) => typeof part === 'object',
    ) as { Ref: string };
    const uri = integrations[ref.Ref]?.Properties.IntegrationUri as { 'Fn::GetAtt': string[] };
    return uri['Fn::GetAtt'][0] as string;
  };
  return new Set(
    routes
      .filter((r) => String(r.Properties.RouteKey).startsWith('GET '))
      .map((r) => functionOf(r.Properties.Target)),
  );
}

describe('least privilege', () => {
  it("grants each function exactly the IAM actions of the adapters its handler builds, and a GET route's handler only table reads", async () => {
    const byAdapter = await adapterActions();
    const functions = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).filter(
      ([, fn]) => typeof fn.Metadata?.['oms:entry'] === 'string',
    );
    expect(functions.length).toBeGreaterThan(30);
    const getHandlers = getRouteFunctions();
    // One function serves both of the console's routes (its page and its files), one the three
    // webhook subscription reads, one the two bulk job reads, one the three marketplace channel
    // reads, one the two subscription reads.
    expect(getHandlers.size).toBe(API_ROUTES.filter((r) => r.method === 'GET').length - 1 - 2 - 1 - 2 - 1);
    const mismatches: string[] = [];
    for (const [id, fn] of functions) {
      const entry = fn.Metadata?.['oms:entry'] as string;
      const adapters = await adaptersBuiltBy(entry);
      const readOnly = fn.Metadata?.['oms:readOnly'] === true;
      if (getHandlers.has(id) && !readOnly) mismatches.push(`${id} handles a GET route but is not read-only`);
      const needed = adapters
        .flatMap((a) => byAdapter.get(a) ?? [])
        .filter((action) => !(readOnly && WRITES.has(action)));
      const expected = [
        ...new Set([...needed, ...destinationActions(id), ...eventSourceActions(id), ...RUNTIME]),
      ].sort();
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
      const granted = grantedActions(roleId);
      if (JSON.stringify(granted) !== JSON.stringify(expected))
        mismatches.push(
          `${id} (${entry}, adapters ${adapters.join(', ') || 'none'}): granted ${granted.join(' ')}; needs ${expected.join(' ')}`,
        );
    }
    expect(mismatches).toEqual([]);
  });

  it('never grants a wildcard action, and scopes every statement to named resources', () => {
    const statements = grantedStatements(template).map((g) => g.statement);
    expect(statements.length).toBeGreaterThan(100);
    for (const s of statements) {
      expect(
        [s.Action].flat().some((a) => String(a).includes('*')),
        JSON.stringify(s.Action),
      ).toBe(false);
      expect(s.Resource, JSON.stringify(s)).toBeDefined();
    }
  });
});
