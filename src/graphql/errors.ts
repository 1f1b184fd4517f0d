import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ContinuoError, type ErrorCode } from '../errors.js';
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

/**
 * The one place errors become what a GraphQL client sees (over HTTP and WebSocket): a ContinuoError
 * keeps its message and gets its code in `extensions.code`; GraphQL's own errors (syntax, validation,
 * variables) keep their code; anything else is logged in full and masked for the client.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const domain = original instanceof ContinuoError ? original : original instanceof GraphQLError && original.originalError instanceof ContinuoError ? original.originalError : undefined;
    if (domain) {
      return { message: domain.message, path: formatted.path, locations: formatted.locations, extensions: { code: domain.code, ...domain.details } };
    }
    if (original instanceof GraphQLError && formatted.extensions?.code !== undefined && formatted.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      return formatted;
    }
    log.error({ err: original, path: formatted.path }, 'unexpected error in a resolver');
    return { message: 'internal error; it was logged on the server', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** A ContinuoError as the body of an HTTP error response, in GraphQL's response shape. */
export function errorBody(error: ContinuoError): string {
  return JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
}
