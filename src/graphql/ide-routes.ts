import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendStatic, webDir } from './studio-routes.js';

/**
 * GraphiQL's rules: scripts, styles and workers from this origin only (the editor sets styles
 * inline and embeds its fonts as data: URLs), calls to this origin only (HTTP and WebSocket), and
 * no framing. Nothing may load from anywhere else: the page works with no internet.
 */
const IDE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const IN_PRODUCTION =
  "This is Continuo's GraphQL API: send queries and mutations by POST (application/json) to this address, subscriptions over graphql-ws.\n" +
  'The GraphQL IDE and introspection are off in production (NODE_ENV=production); run without NODE_ENV=production to use them.\n';

/** A browser opening the address (a page, not a query), rather than a client sending one. */
function isPageRequest(req: IncomingMessage, url: URL): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html');
}

/**
 * What `/graphql` shows a browser: GraphiQL, bundled by `npm run build` into dist/web (no CDN), or
 * in production a line saying where the API is, since introspection, which the IDE needs, is off.
 * Answers true when it handled the request.
 */
export function ideRoute(options: { enabled: boolean; dir?: string }): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  const page = join(options.dir ?? webDir(), 'ide.html');
  return (req, res, url) => {
    if (!isPageRequest(req, url)) return false;
    if (!options.enabled) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(IN_PRODUCTION);
      return true;
    }
    if (sendStatic(req, res, page, IDE_HEADERS)) return true;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('the GraphQL IDE is not built (run `npm run build`); the API answers POST requests here\n');
    return true;
  };
}
