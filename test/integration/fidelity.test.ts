import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../shared/contracts/api-routes';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();

describe('the local cloud runs exactly what the CDK app synthesizes', () => {
  it('serves exactly the template routes, each to the function its integration names', () => {
    const integrations = new Map(
      env.cloud.template
        .resourcesOfType('AWS::ApiGatewayV2::Integration')
        .map((i) => [i.logicalId, i.properties.IntegrationUri]),
    );
    const expected = env.cloud.template
      .resourcesOfType('AWS::ApiGatewayV2::Route')
      .map(
        (r) =>
          `${r.properties.RouteKey} -> ${integrations.get(String(r.properties.Target).replace('integrations/', ''))}`,
      )
      .sort();
    const served = env.cloud.routes.map((r) => `${r.routeKey} -> ${r.functionArn}`).sort();
    expect(served).toEqual(expected);
    expect(served).toHaveLength(API_ROUTES.length);
  });

  it('runs exactly the template state machine definitions', () => {
    const expected = new Map(
      env.cloud.template
        .resourcesOfType('AWS::StepFunctions::StateMachine')
        .map((m) => [env.cloud.template.arn(m.logicalId), JSON.parse(String(m.properties.DefinitionString))]),
    );
    expect(env.cloud.stepFunctions.definitions()).toEqual(expected);
  });

  it('creates the template tables with their keys and indexes', async () => {
    for (const { logicalId, properties } of env.cloud.template.resourcesOfType(
      'AWS::DynamoDB::GlobalTable',
    )) {
      const { Table } = await env.aws.dynamodb.send(new DescribeTableCommand({ TableName: logicalId }));
      expect(Table?.KeySchema).toEqual(properties.KeySchema);
      const indexes = (
        properties.GlobalSecondaryIndexes as Array<{ IndexName: string; KeySchema: unknown }>
      ).map((i) => ({
        IndexName: i.IndexName,
        KeySchema: i.KeySchema,
      }));
      expect(
        Table?.GlobalSecondaryIndexes?.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema })),
      ).toEqual(expect.arrayContaining(indexes));
    }
  });

  it('gives each function the bundled code and exactly the environment the template gives it, with local endpoints', () => {
    for (const { logicalId, properties } of env.cloud.template.resourcesOfType('AWS::Lambda::Function')) {
      const spec = env.cloud.lambdas.get(logicalId)?.spec;
      const variables = (properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(spec?.environment).toMatchObject(variables);
      expect(spec?.environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(env.cloud.dynamodbEndpoint);
      expect(spec?.environment.AWS_ENDPOINT_URL_SFN).toBe(env.cloud.awsEndpoint);
      expect(spec?.timeoutSeconds).toBe(properties.Timeout);
      expect(spec?.file).toContain(env.cloud.template.assetDir(properties.Code as Record<string, unknown>));
    }
  });

  it('refuses to start on a template it cannot emulate, naming what is missing, and on event patterns EventBridge refuses, naming the rule', async () => {
    const { unsupportedParts } = await import('../../infra/local/local-cloud');
    const { LocalTemplate } = await import('../../infra/local/template');
    const template = new LocalTemplate(
      {
        Resources: {
          Stream: { Type: 'AWS::Kinesis::Stream' },
          BadRule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: [], detail: { n: [{ numeric: ['>', 5, '<', 1] }] } },
              Targets: [],
            },
          },
          Nightly: {
            Type: 'AWS::Events::Rule',
            Properties: { ScheduleExpression: 'cron(0 3 * * ? *)', Targets: [] },
          },
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: JSON.stringify({
                QueryLanguage: 'JSONata',
                StartAt: 'A',
                States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
              }),
            },
          },
        },
      },
      env.cloud.template.assemblyDir,
    );
    const problems = unsupportedParts(template);
    expect(problems).toEqual(
      expect.arrayContaining([
        'resource Stream (AWS::Kinesis::Stream) is not emulated',
        'Nightly: only rate(...) schedules are emulated, not cron(0 3 * * ? *)',
        'Machine: JSONata is not supported locally (use JSONPath)',
        'Machine.A: Task resource arn:aws:states:::sqs:sendMessage is not emulated',
        'BadRule: EventBridge refuses its event pattern: source: an empty list matches nothing',
        expect.stringMatching(
          /^BadRule: EventBridge refuses its event pattern: detail\.n\[0\]: numeric takes/,
        ),
      ]),
    );
  });
});
