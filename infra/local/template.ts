import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The fixed identity the local cloud answers as; handlers only ever see these in ARNs. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** SQS's queue URL for a queue; clients are told not to route by it (it names the queue, the endpoint is local). */
export const queueUrl = (name: string) =>
  `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, TemplateResource>;
}

/** Resource types the local cloud runs, and those it may ignore because they only matter on AWS. */
const EMULATED = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Lambda::Function',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Stage',
  'AWS::StepFunctions::StateMachine',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'AWS::SecretsManager::Secret',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::SQS::Queue',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
]);
const AWS_ONLY = new Set([
  // IAM is not enforced locally: least privilege is proven by the infra tests on the template.
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Lambda::Permission',
  'AWS::SQS::QueuePolicy',
  // Alarms and the dashboard watch AWS's metrics; locally ops read the dead letters themselves
  // (GET /dead-letters) and the figures in the console (GET /kpis), from the same events.
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::Logs::LogGroup',
  'AWS::CDK::Metadata',
  // The hosted domain only serves the token endpoint, which the local AWS endpoint answers itself.
  'AWS::Cognito::UserPoolDomain',
]);

/** A synthesized stack with CloudFormation intrinsics resolved to the local cloud's names. */
export class LocalTemplate {
  constructor(
    readonly template: CfnTemplate,
    /** The cloud assembly folder (cdk.out) the template came from; asset folders live here. */
    readonly assemblyDir: string,
  ) {}

  static load(assemblyDir: string, stackName: string): LocalTemplate {
    const file = path.join(assemblyDir, `${stackName}.template.json`);
    return new LocalTemplate(JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate, assemblyDir);
  }

  /** Resources of one type, by logical id, with their properties resolved. */
  resourcesOfType(type: string): Array<{ logicalId: string; properties: Record<string, unknown> }> {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, r]) => ({
        logicalId,
        properties: this.resolve(r.Properties ?? {}) as Record<string, unknown>,
      }));
  }

  /** Every resource the local cloud can neither run nor safely ignore. */
  unsupportedResources(): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => !EMULATED.has(r.Type) && !AWS_ONLY.has(r.Type))
      .map(([id, r]) => `${id} (${r.Type})`);
  }

  private resource(logicalId: string): TemplateResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Template refers to unknown resource ${logicalId}`);
    return resource;
  }

  /** Local physical name of a resource: its logical id, which is unique in the stack. */
  ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'local',
      'AWS::NoValue': '',
    };
    const known = pseudo[logicalId];
    if (known !== undefined) return known;
    const type = this.resource(logicalId).Type;
    // CloudFormation's Ref gives these ARNs, not names.
    if (type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::SecretsManager::Secret')
      return this.arn(logicalId);
    if (type === 'AWS::SQS::Queue') return queueUrl(logicalId);
    // A resource server's Ref is its identifier: scopes are named `<identifier>/<scope>`.
    if (type === 'AWS::Cognito::UserPoolResourceServer')
      return String(this.resource(logicalId).Properties?.Identifier ?? logicalId);
    return logicalId;
  }

  /** Local ARN of a resource, by its type. */
  arn(logicalId: string): string {
    const type = this.resource(logicalId).Type;
    const region = LOCAL_REGION;
    const account = LOCAL_ACCOUNT;
    switch (type) {
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${logicalId}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${account}:stateMachine:${logicalId}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${region}:${account}:event-bus/${logicalId}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${region}:${account}:rule/${logicalId}`;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${region}:${account}:table/${logicalId}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${logicalId}`;
      case 'AWS::SecretsManager::Secret': {
        // Secrets Manager ends every ARN with six characters of its own; ours are stable per resource.
        const name = String(this.resource(logicalId).Properties?.Name ?? logicalId);
        const suffix = createHash('sha256').update(logicalId).digest('hex').slice(0, 6);
        return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
      }
      case 'AWS::SQS::Queue':
        return queueArn(logicalId);
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${logicalId}:*`;
      default:
        return `arn:aws:local:${region}:${account}:${logicalId}`;
    }
  }

  private getAtt(logicalId: string, attribute: string): string {
    if (attribute === 'Arn') return this.arn(logicalId);
    if (attribute === 'Name' || attribute === 'QueueName') return logicalId;
    if (attribute === 'QueueUrl') return queueUrl(logicalId);
    if (attribute === 'ApiEndpoint') return 'http://localhost';
    throw new Error(`Fn::GetAtt ${logicalId}.${attribute} cannot be resolved locally`);
  }

  /** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub and Fn::Select anywhere in a value. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [key, arg] = first;
      switch (key) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Sub':
          return this.sub(arg);
        default:
          if (key.startsWith('Fn::')) throw new Error(`${key} is not supported by the local cloud`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private sub(arg: unknown): string {
    const [text, variables] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    return text.replace(/\$\{([^}!]+)\}/g, (_match, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(String(id), attribute) : this.ref(name);
    });
  }

  /** Folder holding a Lambda function's bundled code, found through the assets manifest. */
  assetDir(code: Record<string, unknown>): string {
    const key = String(code.S3Key ?? '');
    const hash = key.replace(/\.zip$/, '');
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Lambda code ${key} is not a CDK asset`);
    return path.join(this.assemblyDir, `asset.${hash}`);
  }
}
