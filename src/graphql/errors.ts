import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ContinuoError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The one place domain errors become GraphQL errors: a ContinuoError keeps its message and gets its
 * code in `extensions.code`; GraphQL's own errors (syntax, validation) pass as they are; anything
 * else is logged in full and masked for the client.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ContinuoError) {
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
    }
    if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') {
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
