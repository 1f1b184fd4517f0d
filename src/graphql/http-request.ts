import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BadRequestError, TooLargeError, UnauthenticatedError } from '../errors.js';

/** How long a client has to send a whole request, headers and body. */
export const REQUEST_TIMEOUT_MS = 30_000;

class BodyTooLarge extends TooLargeError {}

/** The body of a request, refused past `limit` bytes (declared or sent). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge(`the request is ${declared} bytes; the limit is ${limit} — send a smaller MIDI file (up to 1 MiB)`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Not destroyed here (the client would see a reset, not the 413): the rest is read and dropped
        // while the answer goes out, and the connection is closed after it.
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new BodyTooLarge(`the request is over ${limit} bytes; send a smaller MIDI file (up to 1 MiB)`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The request's URL. Node's HTTP parser lets through targets that are no URL at all (`GET http://[`);
 * `new URL` throws on them, and an exception in the request listener would end the process.
 */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new BadRequestError('the request target is not a valid URL; request a path such as /graphql');
  }
}

/** One percent-encoded path segment, decoded; a bad escape (`%E0%A4%A`) is the client's mistake. */
export function pathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(`the path segment '${raw.slice(0, 100)}' has a bad percent escape; encode it with encodeURIComponent`);
  }
}

/** With METRICS_KEY set, /metrics answers only "Authorization: Bearer <METRICS_KEY>". */
export function checkMetricsKey(expected: string | undefined, authorization: string | undefined): void {
  if (!expected) return;
  const given = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new UnauthenticatedError('/metrics needs the metrics key: send "Authorization: Bearer <METRICS_KEY>"');
  }
}
