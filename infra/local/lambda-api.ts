import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-server';
import type { LocalLambda } from './lambda';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Lambda's Invoke (REST JSON, `POST /2015-03-31/functions/{name}/invocations`) on the local AWS
 * endpoint, so a handler (the dead-letter redrive) and ops tools call functions with the unchanged
 * SDK client through AWS_ENDPOINT_URL_LAMBDA: RequestResponse answers the function's result (an
 * error with X-Amz-Function-Error, as Lambda does), Event queues it and answers 202.
 */
export class LocalLambdaApi {
  constructor(
    private readonly find: (nameOrArn: string) => LocalLambda | undefined,
    private readonly invokeAsync: (fn: LocalLambda, payload: unknown) => void,
  ) {}

  static handles(request: IncomingMessage): boolean {
    return INVOKE_PATH.test(request.url?.split('?')[0] ?? '');
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(body === undefined ? '' : JSON.stringify(body));
    };
    const refuse = (status: number, type: string, message: string) =>
      reply(status, { Type: 'User', message }, { 'x-amzn-errortype': type });
    const name = decodeURIComponent(INVOKE_PATH.exec(request.url?.split('?')[0] ?? '')?.[1] ?? '');
    // A qualified ARN or name (`...:function:Name:$LATEST`) runs the one version there is.
    const fn = this.find(name.replace(/:\$LATEST$/, ''));
    if (request.method !== 'POST') return refuse(405, 'InvalidRequestContentException', 'Invoke is a POST');
    if (!fn) return refuse(404, 'ResourceNotFoundException', `Function not found: ${name}`);
    const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const raw = await readBody(request, MAX_PAYLOAD_BYTES);
    if (!raw) return refuse(413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes');
    let payload: unknown = {};
    try {
      if (raw.length > 0) payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(400, 'InvalidRequestContentException', 'Could not parse request body into json');
    }
    if (type === 'Event') {
      if (raw.length > MAX_ASYNC_PAYLOAD_BYTES)
        return refuse(413, 'RequestTooLargeException', 'Request must be smaller than 1048576 bytes');
      this.invokeAsync(fn, payload);
      return reply(202, undefined);
    }
    if (type !== 'RequestResponse')
      return refuse(400, 'InvalidParameterValueException', `InvocationType ${type} is not emulated`);
    try {
      return reply(200, (await fn.invoke(payload)) ?? null, { 'x-amz-executed-version': '$LATEST' });
    } catch (error) {
      return reply(
        200,
        { errorType: (error as Error).name, errorMessage: (error as Error).message },
        { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
      );
    }
  }
}
