import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a page from another origin may do, per route. */
export interface CorsRule {
  readonly methods: readonly string[];
  /** Request headers it may send besides the CORS-safelisted ones. */
  readonly headers: readonly string[];
  /** Response headers its script may read besides the CORS-safelisted ones. */
  readonly expose: readonly string[];
}

/** How long a browser may keep a preflight's answer. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Cross-origin requests from the pages of an allow-list of origins (CORS_ORIGINS); with none, only
 * the server's own pages (the studio, the IDE) call the API, which needs no CORS at all. Answers
 * go to the origin that asked, never `*`, and say `Vary: Origin` so that caches keep them apart.
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins.map((o) => o.toLowerCase()));
  }

  /**
   * Sets the CORS headers of a request to a route under `rule`. A preflight (OPTIONS) is answered
   * here: 204 for an allowed origin, 403 for another. Answers true when the request was answered.
   */
  handle(req: IncomingMessage, res: ServerResponse, rule: CorsRule): boolean {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && this.origins.has(origin.toLowerCase());
    if (this.origins.size) res.setHeader('vary', 'Origin');
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin);
      if (rule.expose.length) res.setHeader('access-control-expose-headers', rule.expose.join(', '));
    }
    if (req.method !== 'OPTIONS') return false;
    const methods = [...rule.methods, 'OPTIONS'].join(', ');
    if (origin === undefined || req.headers['access-control-request-method'] === undefined) {
      // Not a preflight: a plain OPTIONS asks what the route takes.
      res.writeHead(204, { allow: methods }).end();
      return true;
    }
    if (!allowed) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`the origin ${origin.slice(0, 200)} may not call this server from a browser; its operator can add it to CORS_ORIGINS\n`);
      return true;
    }
    res.writeHead(204, {
      'access-control-allow-methods': methods,
      'access-control-allow-headers': rule.headers.join(', '),
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
    }).end();
    return true;
  }
}

/** /graphql: queries and mutations by POST (JSON) and GET, with a bearer key. */
export const GRAPHQL_CORS: CorsRule = {
  methods: ['GET', 'POST'],
  // apollo-require-preflight and x-apollo-operation-name are the headers Apollo's CSRF prevention asks of GET requests.
  headers: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
  expose: ['retry-after'],
};

/** /files: downloads and seeking in audio. */
export const FILES_CORS: CorsRule = {
  methods: ['GET', 'HEAD'],
  headers: ['range'],
  expose: ['accept-ranges', 'content-disposition', 'content-length', 'content-range'],
};
