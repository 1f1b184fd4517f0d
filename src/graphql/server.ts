import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { ContinuoError } from '../errors.js';
import { readiness } from '../services/readiness.js';
import type { Services } from '../services/services.js';
import type { ApiKeyRecord } from '../store/records.js';
import type { Context } from './context.js';
import { errorBody, formatError, httpHeadersOf, httpStatusOf } from './errors.js';
import { checkMetricsKey, pathSegment, readBody, REQUEST_TIMEOUT_MS, requestUrl } from './http-request.js';
import { checkSource, queryLimits } from './limits.js';
import { continuoSchema } from './schema.js';
import { studioRoutes } from './studio-routes.js';
import { serveWebSocket } from './ws-server.js';

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

function sendError(res: ServerResponse, error: ContinuoError): void {
  // After a refused body the rest of it is not read: the connection closes once the answer is sent.
  const close = error.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : {};
  res.writeHead(httpStatusOf(error), { 'content-type': 'application/json', ...httpHeadersOf(error), ...close }).end(errorBody(error));
}

/**
 * The Continuo service over HTTP: GraphQL at /graphql (queries and mutations over HTTP, subscriptions
 * over graphql-ws on the same path), files at /files/<id>/<name>, /healthz, /readyz and /metrics.
 */
export async function startServer(services: Services, options: { host: string; port: number; schema?: GraphQLSchema }): Promise<RunningServer> {
  const { config, log } = services;
  const schema = options.schema ?? (await continuoSchema());
  const limits = { depth: config.maxQueryDepth, complexity: config.maxQueryComplexity };
  // A request (headers and body) must arrive within 30 s: half-sent bodies are not held for Node's 300 s.
  const httpServer = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS });
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.maxRequestBytes });

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

  const format = formatError(log.child({ module: 'graphql' }));
  const wsCleanup = serveWebSocket(wss, schema, services, limits, format);
  const studio = studioRoutes();

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: format,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's landing pages load from Apollo's CDN, which a self-hosted server may not reach.
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      queryLimits(schema, limits),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
    introspection: !config.production,
    // Stack traces name the server's files: only for a developer at their own machine.
    includeStacktraceInErrorResponses: config.development,
    // Shutdown belongs to closeOnSignals: Apollo's own handlers would stop the server and send the
    // signal again, which closeOnSignals takes for a second signal and exits at once (exit code 1).
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const graphql = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
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
        throw new ContinuoError('BAD_USER_INPUT', 'the request body is not valid JSON');
      }
    }
    const request = (req.method === 'GET' ? Object.fromEntries(url.searchParams) : body) as { query?: unknown; operationName?: unknown } | null;
    if (typeof request?.query === 'string') checkSource(request.query, typeof request.operationName === 'string' ? request.operationName : undefined, limits);
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

  const files = async (res: ServerResponse, id: string): Promise<void> => {
    const file = await services.store.files.stream(id);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such file; it may have been deleted with its composition\n');
      return;
    }
    res.writeHead(200, {
      'content-type': file.info.contentType,
      'content-length': String(file.info.bytes),
      'content-disposition': `attachment; filename="${file.info.filename.replace(/"/g, '')}"`,
      'cache-control': 'private, max-age=86400',
    });
    file.stream.pipe(res);
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let path = req.url ?? '/';
    res.on('finish', () => {
      const route = path.startsWith('/files/') ? '/files' : path;
      services.metrics.requests.inc({ route: ['/graphql', '/files', '/healthz', '/readyz', '/metrics'].includes(route) ? route : 'other', status: String(res.statusCode) });
    });
    const handle = async (): Promise<void> => {
      const url = requestUrl(req);
      path = url.pathname;
      if (url.pathname === '/graphql') return graphql(req, res, url);
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
        return;
      }
      if (url.pathname === '/readyz') {
        const state = await readiness(services);
        res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(state));
        return;
      }
      if (url.pathname === '/metrics') {
        checkMetricsKey(config.metricsKey, req.headers.authorization);
        res.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(await services.metrics.registry.metrics());
        return;
      }
      const chart = /^\/training-jobs\/([^/]+)\/chart\.(svg|png)$/.exec(url.pathname);
      if (chart && req.method === 'GET') {
        const key = await services.keys.authenticate(req.headers.authorization);
        const picture = await services.training.chart(key, pathSegment(chart[1]), chart[2] as 'svg' | 'png');
        res.writeHead(200, { 'content-type': picture.contentType, 'cache-control': 'no-store' }).end(picture.data);
        return;
      }
      const file = /^\/files\/([^/]+)(?:\/[^/]*)?$/.exec(url.pathname);
      if (file && req.method === 'GET') return files(res, pathSegment(file[1]));
      if (studio(req, res, url)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; the API is at /graphql\n');
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ContinuoError) sendError(res, error);
      else {
        log.error({ err: error, path }, 'request failed');
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      }
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  services.setBaseUrl(url);
  return {
    url,
    server: httpServer,
    async close() {
      await apollo.stop();
      wss.close();
    },
  };
}
