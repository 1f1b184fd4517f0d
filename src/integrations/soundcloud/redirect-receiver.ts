import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContinuoError, UnauthenticatedError } from '../../errors.js';

export interface RedirectReceiver {
  readonly port: number;
  /** Resolves with the authorization code once the browser comes back with the expected `state`. */
  readonly code: Promise<string>;
  close(): Promise<void>;
}

export interface RedirectReceiverOptions {
  readonly port: number;
  readonly expectedState: string;
  readonly path?: string;
  readonly timeoutMs?: number;
}

function page(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><head><title>Continuo</title></head><body><p>${text}</p></body></html>`);
}

/**
 * Waits on 127.0.0.1 for the browser's redirect from SoundCloud's consent page. Listening only on
 * loopback keeps the code off the network; a wrong `state` ends the login (it is not ours, maybe forged).
 */
export async function startRedirectReceiver(options: RedirectReceiverOptions): Promise<RedirectReceiver> {
  const path = options.path ?? '/callback';
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => {}); // the caller awaits it; this only keeps an early rejection from being reported as unhandled
  let done = false;
  const finish = (error: Error | null, value?: string) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (error) settle.reject(error);
    else settle.resolve(value!);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) return page(res, 404, 'Not found.');
    if (done) return page(res, 410, 'This login has already finished; you can close this tab.');
    const q = url.searchParams;
    if (q.get('state') !== options.expectedState) {
      page(res, 400, 'This answer does not belong to the login that is waiting. Start again with <code>continuo soundcloud login</code>.');
      return finish(new UnauthenticatedError('the browser came back with an unknown `state` (a stale or forged redirect); run `continuo soundcloud login` again'));
    }
    const error = q.get('error');
    if (error) {
      page(res, 400, 'SoundCloud did not grant access. You can close this tab.');
      const why = q.get('error_description') ?? error;
      return finish(new UnauthenticatedError(`SoundCloud did not grant access (${why}); run \`continuo soundcloud login\` again and allow access`));
    }
    const value = q.get('code');
    if (!value) {
      page(res, 400, 'The answer from SoundCloud has no code.');
      return finish(new UnauthenticatedError('SoundCloud redirected back without a code; run `continuo soundcloud login` again'));
    }
    page(res, 200, 'Continuo received the SoundCloud sign-in. You can close this tab and return to the terminal.');
    finish(null, value);
  });

  const timer = setTimeout(
    () => finish(new UnauthenticatedError(`no answer from the browser within ${Math.max(1, Math.round(timeoutMs / 1000))} s; run \`continuo soundcloud login\` again and open the address it prints`)),
    timeoutMs,
  );
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'EADDRINUSE'
          ? new ContinuoError(
              'NOT_CONFIGURED',
              `port ${options.port} on 127.0.0.1 is in use, so the SoundCloud login cannot wait for the browser there; ` +
                `free it, or set SOUNDCLOUD_REDIRECT_PORT to a free port and register http://127.0.0.1:<port>/callback as the app's redirect URI`,
            )
          : error,
      );
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        finish(new UnauthenticatedError('the SoundCloud login was cancelled'));
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
