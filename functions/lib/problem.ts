import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ErrorCode } from '../../shared/domain/errors';

/** The one table from domain error codes to HTTP status and title. */
const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  VALIDATION: { status: 400, title: 'Invalid request' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  INVALID_STATE: { status: 409, title: 'Invalid state' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable request' },
};

/** An error raised at the HTTP edge itself (wrong content type, body too large), outside the domain. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function problemResponse(
  status: number,
  title: string,
  detail: string,
  instance: string,
  extensions: Record<string, unknown> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: `https://oms.dev/problems/${slug(title)}`,
      title,
      status,
      detail,
      instance,
      ...extensions,
    }),
  };
}

/** Maps any thrown value to problem+json; a 5xx never reveals the internal message. */
export function toProblem(error: unknown, instance: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    const { status, title } = STATUS[error.code];
    return problemResponse(status, title, error.message, instance, error.extensions);
  }
  if (error instanceof HttpError) return problemResponse(error.status, error.title, error.message, instance);
  return problemResponse(
    500,
    'Internal error',
    'The request could not be completed; it is safe to retry.',
    instance,
  );
}
