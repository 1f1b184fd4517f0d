import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Services } from '../services/services.js';
import type { Context } from './context.js';
import { CorsPolicy, FILES_CORS, GRAPHQL_CORS, type CorsRule } from './cors.js';
import { formatError, sendHttpError } from './errors.js';
import { fileRoutes } from './file-routes.js';
import { graphqlRoutes } from './graphql-routes.js';
import { healthRoutes } from './health-routes.js';
import { REQUEST_TIMEOUT_MS, requestUrl } from './http-request.js';
import type { HttpRoute } from './http-route.js';
import { queryLimits } from './limits.js';
import { continuoSchema } from './schema.js';
import { studioRoutes } from './studio-routes.js';
import { trainingRoutes } from './training-routes.js';
import { serveWebSocket } from './ws-server.js';

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** The routes a page from another origin may call (CORS_ORIGINS), and under which rule. */
function corsRuleOf(path: string): CorsRule | undefined {
  if (path === '/graphql') return GRAPHQL_CORS;
  if (path.startsWith('/files/')) return FILES_CORS;
  return undefined;
}

/** The label of a request in the `requests` metric: a route, never a raw path (ids would make series without end). */
function metricRoute(path: string): string {
  if (path.startsWith('/files/')) return '/files';
  return ['/graphql', '/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
}

/**
 * The Continuo service over HTTP: GraphQL at /graphql (queries and mutations over HTTP, subscriptions
 * over graphql-ws on the same path, the IDE for a browser), files at /files/<id>/<name>, /healthz,
 * /readyz, /metrics, training charts and the studio. Each route lives in a module of its own; errors
 * are answered in one place (errors.ts).
 */
export async function startServer(services: Services, options: { host: string; port: number; schema?: GraphQLSchema }): Promise<RunningServer> {
  const { config, log } = services;
  const schema = options.schema ?? (await continuoSchema());
  const limits = { depth: config.maxQueryDepth, complexity: config.maxQueryComplexity };
  // A request (headers and body) must arrive within 30 s: half-sent bodies are not held for Node's 300 s.
  const httpServer = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS });
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.maxRequestBytes });

  const format = formatError(log.child({ module: 'graphql' }));
  const wsCleanup = serveWebSocket(wss, schema, services, limits, format);

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: format,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // A browser gets the package's own IDE (ide-routes.ts): Apollo's landing pages load from its CDN,
      // which a self-hosted server may not reach.
      ApolloServerPluginLandingPageDisabled(),
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

  const cors = new CorsPolicy(config.corsOrigins);
  const routes: HttpRoute[] = [
    healthRoutes(services),
    graphqlRoutes(apollo, services, limits),
    fileRoutes(services.store.files),
    trainingRoutes(services),
    studioRoutes({ soundfontPath: config.render.soundfontPath }),
  ];

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let path = req.url ?? '/';
    res.on('finish', () => services.metrics.requests.inc({ route: metricRoute(path), status: String(res.statusCode) }));
    const handle = async (): Promise<void> => {
      const url = requestUrl(req);
      path = url.pathname;
      const rule = corsRuleOf(path);
      if (rule && cors.handle(req, res, rule)) return;
      for (const route of routes) if (await route(req, res, url)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; the API is at /graphql\n');
    };
    handle().catch((error: unknown) => sendHttpError(res, error, log, { path }));
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
