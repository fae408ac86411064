import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readBody } from './http-server';
import type { AuthorizerDecision } from './jwt-authorizer';
import { LOCAL_ACCOUNT, type LocalTemplate } from './template';

/** HTTP API's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|javascript))/;

export interface HttpRoute {
  routeKey: string;
  method: string;
  /** Path template, e.g. /orders/{id}. */
  path: string;
  functionArn: string;
  matcher: RegExp;
  paramNames: string[];
  /** Higher wins: literal segments beat parameters beat a greedy {proxy+}; a method beats ANY. */
  specificity: number;
  /** The route's JWT authorizer and the scopes it requires (any one of them), when it has one. */
  auth?: { authorizerId: string; scopes: string[] };
}

export type InvokeFunction = (functionArn: string, event: APIGatewayProxyEventV2) => Promise<unknown>;

/** A route's authorizer, run before its integration. */
export type Authorize = (
  auth: NonNullable<HttpRoute['auth']>,
  headers: Record<string, string | undefined>,
) => Promise<AuthorizerDecision>;

/** The routes of the template's HTTP API, each bound to the function its integration names. */
export function templateRoutes(template: LocalTemplate): { apiId: string; routes: HttpRoute[] } {
  const apis = template.resourcesOfType('AWS::ApiGatewayV2::Api');
  if (apis.length !== 1)
    throw new Error(`The local cloud serves exactly one HTTP API; the template has ${apis.length}`);
  const integrations = new Map(
    template.resourcesOfType('AWS::ApiGatewayV2::Integration').map((i) => [i.logicalId, i.properties]),
  );
  const routes = template.resourcesOfType('AWS::ApiGatewayV2::Route').map(({ logicalId, properties }) => {
    const routeKey = String(properties.RouteKey);
    const integrationId = String(properties.Target ?? '').replace(/^integrations\//, '');
    const integration = integrations.get(integrationId);
    if (!integration)
      throw new Error(`Route ${logicalId} (${routeKey}) has no integration the local cloud can find`);
    const route = compileRoute(routeKey, String(integration.IntegrationUri));
    if (properties.AuthorizationType === 'JWT')
      route.auth = {
        authorizerId: String(properties.AuthorizerId),
        scopes: ((properties.AuthorizationScopes ?? []) as unknown[]).map(String),
      };
    return route;
  });
  return { apiId: apis[0]?.logicalId ?? 'local', routes };
}

/** Route features the local cloud does not emulate (IAM and Lambda authorizers, non-Lambda integrations, payload 1.0). */
export function unsupportedRouteFeatures(template: LocalTemplate): string[] {
  const problems: string[] = [];
  for (const { logicalId, properties } of template.resourcesOfType('AWS::ApiGatewayV2::Route')) {
    if (!['NONE', 'JWT'].includes(String(properties.AuthorizationType ?? 'NONE')))
      problems.push(`${logicalId}: ${String(properties.AuthorizationType)} authorization is not emulated`);
  }
  for (const { logicalId, properties } of template.resourcesOfType('AWS::ApiGatewayV2::Integration')) {
    if (
      properties.IntegrationType !== 'AWS_PROXY' ||
      !String(properties.IntegrationUri).includes(':lambda:')
    ) {
      problems.push(`${logicalId}: only Lambda proxy integrations are emulated`);
    }
    if (String(properties.PayloadFormatVersion ?? '2.0') !== '2.0')
      problems.push(`${logicalId}: only payload format 2.0 is emulated`);
  }
  return problems;
}

export function compileRoute(routeKey: string, functionArn: string): HttpRoute {
  if (routeKey === '$default') {
    return {
      routeKey,
      method: 'ANY',
      path: '/{proxy+}',
      functionArn,
      matcher: /^(.*)$/,
      paramNames: [],
      specificity: -1,
    };
  }
  const [method = 'ANY', path = '/'] = routeKey.split(' ');
  const paramNames: string[] = [];
  let specificity = method === 'ANY' ? 0 : 1;
  const pattern = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(.+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        paramNames.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(.+)\}$/.exec(segment);
      if (param?.[1]) {
        paramNames.push(param[1]);
        specificity += 10;
        return '([^/]+)';
      }
      specificity += 100;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    routeKey,
    method,
    path,
    functionArn,
    matcher: new RegExp(`^${pattern}$`),
    paramNames,
    specificity,
  };
}

/** The most specific route for a request, as API Gateway chooses it. */
export function matchRoute(routes: HttpRoute[], method: string, path: string) {
  let best: { route: HttpRoute; params: Record<string, string> } | undefined;
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    const match = route.matcher.exec(path);
    if (!match) continue;
    if (best && best.route.specificity >= route.specificity) continue;
    const params = Object.fromEntries(
      route.paramNames.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
    );
    best = { route, params };
  }
  return best;
}

function joinHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = String(request.rawHeaders[i]).toLowerCase();
    const value = String(request.rawHeaders[i + 1]);
    if (name === 'cookie') continue;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

/** Builds the payload format 2.0 event API Gateway gives a Lambda proxy integration. */
export function toEvent(
  request: IncomingMessage,
  body: Buffer,
  route: HttpRoute,
  params: Record<string, string>,
  apiId: string,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers = joinHeaders(request);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const cookies = request.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.paramNames.length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId,
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(12).toString('base64'),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

interface StructuredResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** Writes a function's result back as HTTP, inferring a 200 JSON response as payload 2.0 does. */
export function writeResult(response: ServerResponse, result: unknown): void {
  const structured = result !== null && typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const r = result as StructuredResult;
  const headers: Record<string, string | string[]> = Object.fromEntries(
    Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  response.writeHead(r.statusCode ?? 200, headers);
  response.end(r.body === undefined ? undefined : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8'));
}

function message(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ message: text }));
}

/** Serves the template's routes: API Gateway's routing, event building and response mapping. */
export function httpApiHandler(template: LocalTemplate, invoke: InvokeFunction, authorize: Authorize) {
  const { apiId, routes } = templateRoutes(template);
  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = matchRoute(routes, request.method ?? 'GET', path);
    if (!match) return message(response, 404, 'Not Found');
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    if (!body) return message(response, 413, 'Request Entity Too Large');
    const event = toEvent(request, body, match.route, match.params, apiId);
    if (match.route.auth) {
      const decision = await authorize(match.route.auth, event.headers);
      if (!decision.allowed) {
        response.writeHead(decision.status, {
          'content-type': 'application/json',
          ...(decision.wwwAuthenticate ? { 'www-authenticate': decision.wwwAuthenticate } : {}),
        });
        response.end(JSON.stringify({ message: decision.status === 401 ? 'Unauthorized' : 'Forbidden' }));
        return;
      }
      Object.assign(event.requestContext, {
        authorizer: { jwt: { claims: decision.claims, scopes: decision.scopes } },
      });
    }
    let result: unknown;
    try {
      result = await invoke(match.route.functionArn, event);
    } catch (error) {
      // API Gateway hides the cause from the caller; the operator sees it, as in CloudWatch.
      console.error(
        `${match.route.routeKey}: function failed: ${(error as Error).name}: ${(error as Error).message}`,
      );
      const timedOut = (error as Error).name === 'Sandbox.Timedout';
      return message(
        response,
        timedOut ? 503 : 500,
        timedOut ? 'Service Unavailable' : 'Internal Server Error',
      );
    }
    writeResult(response, result);
  };
  return { handler, routes };
}
