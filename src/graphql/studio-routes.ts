import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveSoundfont } from '../render/soundfont.js';
import type { HttpRoute } from './http-route.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * The page's own rules: everything from this origin (the GraphQL WebSocket included), nothing from
 * anywhere else, and no framing. Styles may be inline because the page sets track colours on elements.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The folder holding package.json, found from this module (src/graphql when run from source, dist/src/graphql when built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Where `npm run build` puts the studio and the IDE (Vite's output). */
export function webDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** Sends a file of the build with its type and `headers` (no body for HEAD); false when there is no such file. */
export function sendStatic(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>): boolean {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': String(size), ...headers });
  if (req.method === 'HEAD') res.end();
  else createReadStream(path).on('error', () => res.destroy()).pipe(res);
  return true;
}

/**
 * The studio, built by Vite into dist/web (`npm run build`): `/` and `/index.html`, its hashed
 * `/assets/*`, and `/studio/soundfont`, the renderer's sound bank, which the page fetches on first
 * play. The page carries no key: it reads one from the URL fragment, storage or the user. Answers
 * true when it handled the request.
 */
export function studioRoutes(options: { dir?: string; soundfontPath?: string } = {}): HttpRoute {
  const dir = options.dir ?? webDir();
  // The renderer's bank: CONTINUO_SOUNDFONT where the configuration names one.
  const soundfont = () => resolveSoundfont(options.soundfontPath);

  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/' || path === '/index.html') {
      if (sendStatic(req, res, join(dir, 'index.html'), { 'cache-control': 'no-cache', ...PAGE_HEADERS })) return true;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('the studio is not built (run `npm run build`); the API is at /graphql\n');
      return true;
    }
    const asset = /^\/assets\/([A-Za-z0-9_.-]+)$/.exec(path);
    if (asset && !asset[1].startsWith('.')) {
      // Vite names assets by their content hash: they never change under a name.
      return sendStatic(req, res, join(dir, 'assets', asset[1]), { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    }
    if (path === '/studio/soundfont') {
      return sendStatic(req, res, soundfont(), { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=86400' });
    }
    return false;
  };
}
