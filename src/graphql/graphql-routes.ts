import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { InvalidInputError } from '../errors.js';
import type { Services } from '../services/services.js';
import type { ApiKeyRecord } from '../store/records.js';
import type { Context } from './context.js';
import { readBody } from './http-request.js';
import type { HttpRoute } from './http-route.js';
import { ideRoute } from './ide-routes.js';
import { checkSource, type QueryLimits } from './limits.js';
import { RememberedSources } from './remembered-sources.js';

/**
 * `/graphql` over HTTP: queries and mutations (GET and POST) through Apollo Server, under the
 * caller's rate limit and the source limits; a browser opening the address gets the IDE
 * (ide-routes.ts). Subscriptions take the same path over graphql-ws (ws-server.ts).
 */
export function graphqlRoutes(apollo: ApolloServer<Context>, services: Services, limits: QueryLimits): HttpRoute {
  const { config, log } = services;
  const ide = ideRoute({ enabled: !config.production });
  // Sources that passed the source limits lately: Apollo keeps their parse, and they are not parsed here again.
  const passed = new RememberedSources<true>();

  const callerKey = async (authorization: string | undefined, address: string | undefined): Promise<ApiKeyRecord | null> => {
    if (!authorization) return null;
    try {
      return await services.keys.authenticate(authorization);
    } catch (error) {
      // A made-up or revoked token is refused, and the refusal counts against the address's requests.
      services.rateLimiter.take(`ip:${address}`);
      throw error;
    }
  };

  const execute = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const key = await callerKey(req.headers.authorization, req.socket.remoteAddress);
    // Per verified key, else per address: a made-up bearer string must not open a fresh bucket.
    services.rateLimiter.take(key ? `key:${key.id}` : `ip:${req.socket.remoteAddress}`);
    const raw = req.method === 'POST' ? await readBody(req, config.maxRequestBytes) : '';
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    let body: unknown = raw;
    if (raw && (headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new InvalidInputError('the request body is not valid JSON');
      }
    }
    const request = (req.method === 'GET' ? Object.fromEntries(url.searchParams) : body) as { query?: unknown; operationName?: unknown } | null;
    if (typeof request?.query === 'string') {
      const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
      if (!passed.get(request.query, operationName)) {
        checkSource(request.query, operationName, limits);
        passed.set(request.query, operationName, true);
      }
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => ({ services, key, log: log.child({ key: key?.id }), signal: abort.signal }),
    });
    const outHeaders: Record<string, string> = {};
    for (const [name, value] of response.headers) outHeaders[name] = value;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  return async (req, res, url) => {
    if (url.pathname !== '/graphql') return false;
    if (!ide(req, res, url)) await execute(req, res, url);
    return true;
  };
}
