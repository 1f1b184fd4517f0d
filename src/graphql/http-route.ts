import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One route of the HTTP server: answers the request and returns true, or returns false for the next
 * route to try. A thrown error is answered by the server through the one error mapping (errors.ts).
 */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
