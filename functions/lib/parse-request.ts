import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { parseCsv } from '../../shared/contracts/csv';
import type { Principal } from '../../shared/domain/access';
import { type FieldError, ValidationError } from '../../shared/domain/errors';
import { HttpError } from './problem';

/** Bodies above this are refused before parsing (API Gateway itself allows 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body?: B;
  query?: Q;
  params?: P;
  /** Creates or changes something: an Idempotency-Key header is required. */
  idempotent?: boolean;
  /** Also takes a text/csv body, read as `{ rows: [...] }` with one object per CSV record. */
  csvRows?: boolean;
}

export interface ParsedRequest<B, Q, P> {
  /** The caller, from its verified token; anonymous on public and carrier-signed routes. */
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  idempotencyKey: string;
  correlationId: string;
  /** The body exactly as sent (signatures are computed over it). */
  rawBody: string;
  /** Lower-case header names, as API Gateway gives them. */
  headers: Record<string, string | undefined>;
}

function issuesToFields(issues: z.core.$ZodIssue[], prefix: string): FieldError[] {
  return issues.map((issue) => ({
    pointer: `#${prefix}${issue.path.map((p) => `/${String(p)}`).join('')}`,
    detail: issue.message,
  }));
}

function validate<T extends z.ZodType>(schema: T, value: unknown, prefix: string, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError(`The ${what} is not valid`, issuesToFields(result.error.issues, prefix));
  return result.data;
}

function readBody(event: APIGatewayProxyEventV2, csvRows: boolean): unknown {
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const csv = csvRows && contentType === 'text/csv';
  if (contentType !== 'application/json' && !contentType.endsWith('+json') && !csv) {
    throw new HttpError(
      415,
      'Unsupported media type',
      `Send the body as application/json${csvRows ? ' or text/csv' : ''}`,
    );
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(413, 'Content too large', `The body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (csv) return { rows: parseCsv(bytes.toString('utf8')) };
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ValidationError('The body is not valid JSON', [
      { pointer: '#', detail: (error as Error).message },
    ]);
  }
}

/** Validates every part of the request against the route's schemas; throws before any work is done. */
export function parseRequest<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  spec: RouteSpec<B, Q, P>,
  event: APIGatewayProxyEventV2,
  principal: Principal,
): ParsedRequest<z.infer<B>, z.infer<Q>, z.infer<P>> {
  let idempotencyKey = '';
  if (spec.idempotent) {
    idempotencyKey = event.headers['idempotency-key'] ?? '';
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError('An Idempotency-Key header is required', [
        {
          pointer: '#/headers/idempotency-key',
          detail: 'must be 1-255 visible ASCII characters, e.g. a UUID',
        },
      ]);
    }
  }
  return {
    principal,
    // A route without a schema for a part never reads that part, so undefined is its honest value.
    body: (spec.body
      ? validate(spec.body, readBody(event, spec.csvRows === true), '', 'request body')
      : undefined) as z.infer<B>,
    query: (spec.query
      ? validate(spec.query, event.queryStringParameters ?? {}, '/query', 'query')
      : undefined) as z.infer<Q>,
    params: (spec.params
      ? validate(spec.params, event.pathParameters ?? {}, '/path', 'path')
      : undefined) as z.infer<P>,
    idempotencyKey,
    correlationId: event.headers['x-correlation-id'] ?? event.requestContext.requestId,
    rawBody: event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? ''),
    headers: event.headers,
  };
}

/** Parses and validates a body read raw (e.g. after its signature was checked). */
export function parseJsonBody<T extends z.ZodType>(schema: T, rawBody: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch (error) {
    throw new ValidationError('The body is not valid JSON', [
      { pointer: '#', detail: (error as Error).message },
    ]);
  }
  return validate(schema, value, '', 'request body');
}
