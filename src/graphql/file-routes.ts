import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ByteRange, FileInfo, FileStorage } from '../store/ports.js';
import type { HttpRoute } from './http-route.js';
import { pathSegment } from './http-request.js';

const NO_SUCH_FILE = 'no such file; it may have been deleted with its composition\n';

/**
 * The byte range a `Range` header asks of a file of `size` bytes: one range (`bytes=0-99`,
 * `bytes=100-`, `bytes=-500`), `whole` when there is none or it cannot be read, or several ranges
 * (RFC 9110 lets a server ignore Range), and `unsatisfiable` when it starts past the end.
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | 'whole' | 'unsatisfiable' {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return 'whole';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (start >= size) return 'unsatisfiable';
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  // A last byte before the first is no valid range: the header is ignored.
  return end < start ? 'whole' : { start, end };
}

/**
 * How a browser should treat a file. Audio and pictures open in the browser (`inline`), so a link to
 * an mp3 plays it and a seek works; the name comes along for "save as". MIDI stays an `attachment`:
 * no browser plays it, so opening it would only download it under a name made up from the URL.
 */
export function contentDisposition(info: Pick<FileInfo, 'contentType' | 'filename'>): string {
  const type = info.contentType.toLowerCase();
  const inline = (type.startsWith('audio/') || type.startsWith('image/')) && !type.includes('midi');
  // RFC 6266: a plain-ASCII name for old clients, the exact one in UTF-8 for the others.
  const ascii = info.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(info.filename)}`;
}

/** Headers of a file answer, whole or in part. */
function fileHeaders(info: FileInfo): Record<string, string> {
  return {
    'content-type': info.contentType,
    'content-disposition': contentDisposition(info),
    'accept-ranges': 'bytes',
    // A file never changes under its id: its id is its version.
    etag: `"${info.id}"`,
    'cache-control': 'private, max-age=86400',
    'x-content-type-options': 'nosniff',
    // An SVG opened in the browser is a document of this origin: it may draw, never run scripts.
    ...(info.contentType.startsWith('image/svg') ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox" } : {}),
  };
}

/**
 * `/files/<id>/<name>`: a stored file by its id (the name is for people). GET sends it whole, or one
 * byte range (206) when asked, so that audio can seek; HEAD answers the same headers without a body.
 */
export function fileRoutes(files: FileStorage): HttpRoute {
  const send = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const info = await files.info(id);
    if (!info) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(NO_SUCH_FILE);
      return;
    }
    const headers = fileHeaders(info);
    // Range is for GET only; an If-Range naming another version asks for the whole file.
    const ifRange = req.headers['if-range'];
    const asked = req.method === 'GET' && (ifRange === undefined || ifRange === headers.etag) ? requestedRange(req.headers.range, info.bytes) : 'whole';
    if (asked === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-type': 'text/plain', 'content-range': `bytes */${info.bytes}` }).end(`the file has ${info.bytes} bytes; ask for a range within them\n`);
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(info.bytes) }).end();
      return;
    }
    const range = asked === 'whole' ? undefined : asked;
    const file = await files.stream(id, range);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(NO_SUCH_FILE);
      return;
    }
    if (range) {
      res.writeHead(206, { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${info.bytes}` });
    } else {
      res.writeHead(200, { ...headers, 'content-length': String(info.bytes) });
    }
    file.stream.on('error', () => res.destroy());
    file.stream.pipe(res);
  };

  return async (req, res, url) => {
    const match = /^\/files\/([^/]+)(?:\/[^/]*)?$/.exec(url.pathname);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    await send(req, res, pathSegment(match[1]!));
    return true;
  };
}
