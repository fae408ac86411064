/** The closed set of failure kinds the domain reports; one table at the edge maps them to HTTP. */
export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_STATE: 'INVALID_STATE',
  UNPROCESSABLE: 'UNPROCESSABLE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One field that failed validation: `pointer` is a JSON Pointer into the request (RFC 6901). */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** Base of every expected failure; `name` is what Step Functions `Catch`/`Retry` match on. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra members for the problem+json body (RFC 9457 extension members). */
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

export class ValidationError extends DomainError {
  readonly code = ErrorCode.VALIDATION;
  constructor(
    message: string,
    readonly errors: FieldError[],
  ) {
    super(message, { errors });
  }
}

export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NOT_FOUND;
}

export class ConflictError extends DomainError {
  readonly code = ErrorCode.CONFLICT;
}

export class InvalidStateError extends DomainError {
  readonly code = ErrorCode.INVALID_STATE;
}

export class UnprocessableError extends DomainError {
  readonly code = ErrorCode.UNPROCESSABLE;
}

export class UnauthorizedError extends DomainError {
  readonly code = ErrorCode.UNAUTHORIZED;
}

export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.FORBIDDEN;
}
