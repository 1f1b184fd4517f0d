import {
  GraphQLError, NoSchemaIntrospectionCustomRule, getOperationAST, parse, specifiedRules, validate,
  type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import { BadRequestError, ContinuoError } from '../errors.js';
import type { Services } from '../services/services.js';
import type { ApiKeyRecord } from '../store/records.js';
import type { Context } from './context.js';
import { toGraphQLError } from './errors.js';
import { checkOperation, checkSource, type QueryLimits } from './limits.js';
import { RememberedSources } from './remembered-sources.js';

type Format = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

interface Prepared {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/** GraphQL's own errors with the code Apollo gives them over HTTP, so that both transports answer alike. */
const coded = (errors: readonly GraphQLError[], code: string): GraphQLError[] =>
  errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, originalError: e.originalError, extensions: { ...e.extensions, code } }));

/**
 * graphql-ws on the HTTP server's /graphql path, under the same rules as HTTP: the caller's rate
 * limit per operation, the source and operation limits, and errors through the one `formatError`.
 * Returns graphql-ws's handle (`dispose` closes every socket).
 */
export function serveWebSocket(
  wss: WebSocketServer,
  schema: GraphQLSchema,
  services: Services,
  limits: QueryLimits,
  format: Format,
): { dispose(): void | Promise<void> } {
  const { log } = services;
  // As over HTTP (Apollo's `introspection: false`): in production the schema is not told.
  const rules = services.config.production ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  // A subscription sent again (each composition's updates, say) is not parsed and validated again.
  const checked = new RememberedSources<Prepared>();
  /** A source through the source limits, parsing and validation: its document and operation, or the coded errors. */
  const prepare = (query: string, operationName: string | null | undefined): Prepared | GraphQLError[] => {
    try {
      checkSource(query, operationName, limits);
    } catch (error) {
      if (error instanceof ContinuoError) return [toGraphQLError(error)];
      throw error;
    }
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return coded([error], 'GRAPHQL_PARSE_FAILED');
      throw error;
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length) return coded(invalid, 'GRAPHQL_VALIDATION_FAILED');
    const operation = getOperationAST(document, operationName);
    if (!operation) return [toGraphQLError(new BadRequestError(`the document has no operation${operationName ? ` named '${operationName}'` : ''}; send one, or name it in operationName`))];
    return { document, operation };
  };

  return useServer<Record<string, unknown>, { key?: ApiKeyRecord | null; abort?: AbortController }>(
    {
      schema,
      context: (ctx) => ({ services, key: ctx.extra.key ?? null, log, signal: ctx.extra.abort?.signal }) satisfies Context,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          ctx.extra.key = typeof auth === 'string' && auth ? await services.keys.authenticate(auth) : null;
          ctx.extra.abort = new AbortController();
          return true;
        } catch {
          // A made-up or revoked token counts against the address's requests, as over HTTP.
          try {
            services.rateLimiter.take(`ip:${ctx.extra.request.socket.remoteAddress}`);
          } catch {
            // over the limit: refused all the same
          }
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onClose: (ctx) => ctx.extra.abort?.abort(),
      onSubscribe: (ctx, _id, payload) => {
        const key = ctx.extra.key;
        try {
          // Each operation counts, as each HTTP request does: one socket must not open a way around the limit.
          services.rateLimiter.take(key ? `key:${key.id}` : `ip:${ctx.extra.request.socket.remoteAddress}`);
        } catch (error) {
          if (error instanceof ContinuoError) return [toGraphQLError(error)];
          throw error;
        }
        let known = checked.get(payload.query, payload.operationName);
        if (!known) {
          const prepared = prepare(payload.query, payload.operationName);
          if (Array.isArray(prepared)) return prepared;
          known = prepared;
          checked.set(payload.query, payload.operationName, known);
        }
        const { document, operation } = known;
        try {
          checkOperation(schema, document, operation, payload.variables ?? undefined, limits);
        } catch (error) {
          if (error instanceof ContinuoError) return [toGraphQLError(error)];
          throw error;
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatAll(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    },
    wss,
  );
}
