import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { authorize } from './authorize';
import { logger } from './logger';
import { type ParsedRequest, parseRequest, type RouteSpec } from './parse-request';
import { toProblem } from './problem';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** Logs 5xx causes with their stack, and answers every error as problem+json. */
function problemErrors(): MiddlewareObj<Event, Result> {
  return {
    onError: async (request) => {
      const response = toProblem(request.error, request.event.rawPath);
      if ((response.statusCode ?? 500) >= 500)
        logger.error('request failed', { error: request.error as Error });
      else
        logger.info('request refused', {
          status: response.statusCode,
          detail: (request.error as Error).message,
        });
      request.response = response;
    },
  };
}

/** Tags every log line with the caller's correlation id (or the API request id). */
function correlation(): MiddlewareObj<Event, Result> {
  return {
    before: async (request) => {
      const id = request.event.headers['x-correlation-id'] ?? request.event.requestContext?.requestId;
      if (id) logger.appendKeys({ correlationId: id });
    },
  };
}

/**
 * The one middy chain of every HTTP function, in a fixed order: logging context, correlation,
 * error mapping, then the caller's authorization and the parsing and validation of the route's schemas before `fn` runs.
 */
export function httpRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: ParsedRequest<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Result>,
) {
  return middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation())
    .use(problemErrors())
    .handler(async (event) => fn(parseRequest(spec, event, authorize(event))));
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** One function behind several routes: the route key picks its operation, each with its own chain. */
export function byRouteKey(operations: Record<string, ReturnType<typeof httpRoute>>) {
  return (event: Event, context: Context) => {
    const operation = operations[event.routeKey];
    if (!operation) throw new Error(`No operation for route ${event.routeKey}`);
    return operation(event, context);
  };
}
