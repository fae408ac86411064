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

/** The public HTTP API: exactly the operations of the contract, each to its own function. */
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
    for (const route of API_ROUTES) {
      const handler = props.handlers[route.operationId];
      if (!handler) throw new Error(`No function handles operation ${route.operationId}`);
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method as apigw.HttpMethod],
        integration: new HttpLambdaIntegration(`${route.operationId}Integration`, handler),
        ...(Array.isArray(route.access)
          ? { authorizer: props.authorizer, authorizationScopes: route.access.map(scopes.audience) }
          : {}),
      });
      if (!Array.isArray(route.access) && added) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.access === 'carrier-signature'
              ? 'Carriers cannot hold our tokens: the handler verifies the HMAC-SHA256 signature over the raw body (OMS-Signature) before reading it, and refuses replays.'
              : "Public by design (health, the OpenAPI document and its page, the console's static files): no data, no side effects; the console reads data through the API with a token.",
        });
      }
    }
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
