import { CfnOutput, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES } from '../../shared/contracts/api-routes';
import { scopes } from '../../shared/domain/access';

export interface OmsHttpApiProps {
  /** The function behind each operation of shared/contracts/api-routes.ts, by operationId. */
  handlers: Record<string, IFunction>;
  /** Verifies the callers' tokens on every route the contract gives audiences. */
  authorizer: IHttpRouteAuthorizer;
}

/** The public HTTP API: exactly the operations of the contract, each to the function the stack names for it. */
export class OmsHttpApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: OmsHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', { description: 'Serverless OMS', createDefaultStage: false });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(
          new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH }),
        ),
      },
    });
    // A function behind several routes gets one integration and one invoke permission for the API,
    // not one per route: every resource counts against CloudFormation's 500 per stack.
    const routesOf = new Map<IFunction, number>();
    for (const route of API_ROUTES) {
      const handler = props.handlers[route.operationId];
      if (handler) routesOf.set(handler, (routesOf.get(handler) ?? 0) + 1);
    }
    const integrations = new Map<IFunction, HttpLambdaIntegration>();
    const integrationOf = (operationId: string, handler: IFunction) => {
      const existing = integrations.get(handler);
      if (existing) return existing;
      const integration = new HttpLambdaIntegration(`${operationId}Integration`, handler, {
        scopePermissionToRoute: (routesOf.get(handler) ?? 0) <= 1,
      });
      integrations.set(handler, integration);
      return integration;
    };
    for (const route of API_ROUTES) {
      const handler = props.handlers[route.operationId];
      if (!handler) throw new Error(`No function handles operation ${route.operationId}`);
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method as apigw.HttpMethod],
        integration: integrationOf(route.operationId, handler),
        ...(Array.isArray(route.access)
          ? { authorizer: props.authorizer, authorizationScopes: route.access.map(scopes.audience) }
          : {}),
      });
      if (!Array.isArray(route.access) && added) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.access === 'carrier-signature'
              ? 'Carriers cannot hold our tokens: the handler verifies the HMAC-SHA256 signature over the raw body (OMS-Signature) before reading it, and refuses a replay of a post it applied.'
              : "Public by design (health, the OpenAPI document and its page, the console's static files): no data, no side effects; the console reads data through the API with a token.",
        });
      }
    }
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
