/**
 * Domain errors with a stable `code`. Entry points (GraphQL, CLI, Discord) map them once; the message
 * always tells a person what to fix.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COMPLEX'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED'
  | 'NOT_CONFIGURED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class ContinuoError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input a person typed or uploaded is wrong; `details` locates the problem (bar, token, track…). */
export class InvalidInputError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

/** Text notation (note list or ABC) that cannot be read: names the bar and the token. */
export class NotationError extends InvalidInputError {
  constructor(
    message: string,
    readonly bar: number,
    readonly token: string,
  ) {
    super(message, { bar, token });
  }
}

export class NotFoundError extends ContinuoError {
  constructor(what: string, id: string, hint = '') {
    super('NOT_FOUND', `${what} '${id}' does not exist${hint ? `; ${hint}` : ''}`, { what, id });
  }
}

export class TooLargeError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}

export class UnauthenticatedError extends ContinuoError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends ContinuoError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class RateLimitedError extends ContinuoError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
  }
}

/** A setting the server or a command needs is missing or wrong: names the setting to fix. */
export class NotConfiguredError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_CONFIGURED', message, details);
  }
}

/** A service the server depends on (Redis, the data folder) does not answer or cannot be written now. */
export class UnavailableError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNAVAILABLE', message, details);
  }
}

/** The HTTP request itself cannot be read (a bad URL, bad escapes, the wrong transport). */
export class BadRequestError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_REQUEST', message, details);
  }
}

/** An operation nested deeper (fields, fragments, braces) than the server allows. */
export class QueryTooDeepError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('QUERY_TOO_DEEP', message, details);
  }
}

/** An operation larger or costlier (fields, aliases, tokens) than the server allows. */
export class QueryTooComplexError extends ContinuoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('QUERY_TOO_COMPLEX', message, details);
  }
}
