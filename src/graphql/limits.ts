import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getVariableValues, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { BadRequestError, ContinuoError, InvalidInputError, QueryTooComplexError, QueryTooDeepError } from '../errors.js';
import { toGraphQLError } from './errors.js';
import { checkQueryDepth } from './query-depth.js';
import { querySize } from './query-size.js';

export interface QueryLimits {
  /** Nested field selections. */
  readonly depth: number;
  /** Fields (each alias counts) summed over the operation. */
  readonly complexity: number;
}

/** Fragments nested in fragments: real clients need two or three levels. */
const FRAGMENT_NESTING = 10;
/** Brackets beyond fields and fragments: input objects and lists in arguments. */
const ARGUMENT_NESTING = 16;
/**
 * Tokens per unit of complexity: a field with an alias, an argument and a selection set is about 10.
 * (The cap also bounds validation, whose overlapping-fields check grows with the square of same-named fields.)
 */
const TOKENS_PER_FIELD = 10;
/** Selections the complexity walk visits (fragments spread many times count each time) before it gives up. */
const NODES_PER_FIELD = 10;

/**
 * Refuses, before validation, a source too deep or too long for the limits: first by scanning the
 * text (graphql-js parses by recursive descent, so a deep enough nest overflows the stack), then by
 * measuring the parsed document's depth (validation costs far more than parsing, and a refused
 * operation should cost next to nothing). A source that does not parse is left to the caller's parser,
 * which answers with the syntax error.
 */
export function checkSource(source: string, operationName: string | null | undefined, limits: QueryLimits): void {
  const size = querySize(source);
  const nesting = limits.depth + FRAGMENT_NESTING + ARGUMENT_NESTING;
  if (size.nesting > nesting) {
    throw new QueryTooDeepError(`the query nests brackets ${size.nesting} levels deep; the limit is ${nesting} — ask for fewer nested fields`, {
      nesting: size.nesting, limit: nesting,
    });
  }
  const tokens = limits.complexity * TOKENS_PER_FIELD;
  if (size.tokens > tokens) {
    throw new QueryTooComplexError(`the query has about ${size.tokens} tokens; the limit is ${tokens} — ask for fewer fields, or pass large values as variables`, {
      tokens: size.tokens, limit: tokens,
    });
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: tokens + 1000 });
  } catch {
    return;
  }
  checkQueryDepth(document, operationName, { depth: limits.depth, fragments: FRAGMENT_NESTING });
}

/** Refuses a validated operation with bad variables, or more complex than the limits (its depth: `checkSource`). */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): void {
  // Coerced here, before the complexity walk, which would throw a plain Error (an HTTP 500) on them.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 5 });
  if (coerced.errors) throw new InvalidInputError(coerced.errors.map((e) => e.message).join('; '), { field: 'variables' });
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables: variables ?? {},
      // A field's own `complexity` (src/graphql/complexity.ts), else 1.
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: limits.complexity * NODES_PER_FIELD,
    });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) {
      throw new QueryTooComplexError(`the query selects more than ${limits.complexity * NODES_PER_FIELD} fields once its fragments are spread; ask for fewer fields`, {
        limit: limits.complexity,
      });
    }
    throw error;
  }
  if (complexity > limits.complexity) {
    throw new QueryTooComplexError(`the query's complexity is ${complexity}; the limit is ${limits.complexity} — ask for fewer fields or smaller pages`, {
      complexity, limit: limits.complexity,
    });
  }
}

const asGraphQLError = (error: unknown): unknown => (error instanceof ContinuoError ? toGraphQLError(error) : error);

/**
 * The operation limits on Apollo's HTTP path, before execution. (`checkSource` runs in the HTTP handler
 * before Apollo sees the request: an error thrown from Apollo's source or parsing hooks becomes a 500.)
 */
export function queryLimits(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          try {
            if (operation?.operation === 'subscription') {
              throw new BadRequestError('subscriptions run over WebSocket (graphql-ws) at /graphql, not over HTTP; send this operation there');
            }
            if (operation) checkOperation(schema, document, operation, request.variables, limits);
          } catch (error) {
            throw asGraphQLError(error);
          }
        },
      };
    },
  };
}
