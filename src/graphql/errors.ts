import type { ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ContinuoError, type ErrorCode } from '../errors.js';
import { knownFailure } from '../known-failure.js';
import type { Logger } from '../logger.js';

/** The HTTP status of each domain error, for answers that fail as a whole (routes, limits, transport). */
const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COMPLEX: 400,
  UNSUPPORTED: 400,
  NOT_CONFIGURED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function httpStatusOf(error: ContinuoError): number {
  return HTTP_STATUS[error.code] ?? 400;
}

/** Response headers an error asks for (Retry-After for RATE_LIMITED). */
export function httpHeadersOf(error: ContinuoError): Record<string, string> {
  const retry = error.details.retryAfterSeconds;
  return typeof retry === 'number' ? { 'retry-after': String(retry) } : {};
}

/**
 * A domain error as a GraphQL error that fails the whole request: its code in `extensions.code` and
 * its HTTP status for Apollo (which drops `extensions.http` from what the client sees).
 */
export function toGraphQLError(error: ContinuoError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, ...error.details, http: { status: httpStatusOf(error), headers: new Map(Object.entries(httpHeadersOf(error))) } },
  });
}

/** What a client is told of an error that is the server's own fault; the error itself is logged. */
const MASKED = 'internal error; it was logged on the server';

/**
 * What a client may see of any error: a ContinuoError, or a failure of the server's disk or network
 * (UNAVAILABLE), with its message and code. An INTERNAL one keeps its code but not its message,
 * which is written for the operator (it may name the server's files). Undefined: not ours, masked.
 */
function shownError(error: unknown, log: Logger, fields: Record<string, unknown>): ContinuoError | undefined {
  const known = knownFailure(error);
  if (known?.code !== 'INTERNAL') return known;
  log.error({ err: error, ...fields }, 'internal error');
  return new ContinuoError('INTERNAL', MASKED);
}

/**
 * The one place errors become what a GraphQL client sees (over HTTP and WebSocket): a domain error
 * keeps its message and gets its code in `extensions.code`; GraphQL's own errors (syntax, validation,
 * variables) keep their code; anything else is logged in full and masked for the client.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const cause = original instanceof GraphQLError && original.originalError ? original.originalError : original;
    const domain = shownError(cause, log, { path: formatted.path });
    if (domain) {
      return { message: domain.message, path: formatted.path, locations: formatted.locations, extensions: { code: domain.code, ...domain.details } };
    }
    if (original instanceof GraphQLError && formatted.extensions?.code !== undefined && formatted.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      return formatted;
    }
    log.error({ err: cause, path: formatted.path }, 'unexpected error in a resolver');
    return { message: MASKED, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** A ContinuoError as the body of an HTTP error response, in GraphQL's response shape. */
export function errorBody(error: ContinuoError): string {
  return JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
}

/**
 * The answer to an HTTP request that failed as a whole (a route, a limit, the request itself), by
 * the same rules as `formatError`: a domain error with its status, headers and code; anything else
 * logged in full and a 500 that says only that.
 */
export function sendHttpError(res: ServerResponse, error: unknown, log: Logger, fields: Record<string, unknown> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const domain = shownError(error, log, fields);
  if (!domain) {
    log.error({ err: error, ...fields }, 'request failed');
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: MASKED, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    return;
  }
  // After a refused body the rest of it is not read: the connection closes once the answer is sent.
  const close = domain.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : {};
  res.writeHead(httpStatusOf(domain), { 'content-type': 'application/json', ...httpHeadersOf(domain), ...close }).end(errorBody(domain));
}
