import { ContinuoError, InvalidInputError, RateLimitedError, TooLargeError, UnauthenticatedError } from '../../errors.js';
import { noAnswerProblem, unreachable, type NetworkProblem } from '../../network-failure.js';
import { parseRetryAfter } from './retry-policy.js';

export const LOGIN_AGAIN = 'log in again with `continuo soundcloud login`';

/** A SoundCloud answer that was not a success, reduced to what a person can read. */
export interface HttpFailure {
  /** 0: no answer came (see `network`). */
  readonly status: number;
  /** SoundCloud's own message, or the title/text of an HTML error page; at most 200 characters. */
  readonly detail: string;
  /** Machine-readable error word when SoundCloud sent one (`invalid_grant`, …). */
  readonly error?: string;
  readonly retryAfterMs?: number;
  /** With status 0: what kept the request from an answer, and where it was going. */
  readonly network?: NetworkProblem & { readonly url: string };
}

/** A request to `url` that got no answer (DNS, refused, dropped, timed out). */
export function noAnswer(error: unknown, url: string | URL): HttpFailure {
  const problem = noAnswerProblem(error);
  return { status: 0, detail: problem.code, network: { ...problem, url: String(url) } };
}

const MAX_DETAIL = 200;

function squeeze(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL - 1)}…` : flat;
}

/** Upload routes have answered with HTML pages from a proxy: keep their title (or text), never the markup. */
function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const text = (title ?? heading ?? html)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
  return squeeze(text);
}

function jsonDetail(body: unknown): { detail?: string; error?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const list = Array.isArray(b.errors)
    ? b.errors.map((e) => (e && typeof e === 'object' ? (e as Record<string, unknown>).error_message : undefined)).filter((m): m is string => typeof m === 'string')
    : [];
  const message = typeof b.message === 'string' ? b.message : undefined;
  const error = typeof b.error === 'string' ? b.error : typeof b.message === 'string' && /^[a-z_]+$/.test(b.message) ? b.message : undefined;
  const detail = [message ?? (typeof b.error === 'string' ? b.error : undefined), ...list].filter(Boolean).join('; ');
  return { detail: detail ? squeeze(detail) : undefined, error };
}

/** Reads an error answer whatever its body: JSON `{code, message, …}`, an HTML page, plain text or nothing. */
export async function readFailure(response: Response): Promise<HttpFailure> {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  let text = '';
  try {
    text = await response.text();
  } catch {
    // a body cut off mid-way still leaves the status to go on
  }
  const fallback = squeeze(`${response.status} ${response.statusText}`.trim());
  const type = response.headers.get('content-type') ?? '';
  if (text.trim().startsWith('{') || type.includes('json')) {
    try {
      const { detail, error } = jsonDetail(JSON.parse(text));
      return { status: response.status, detail: detail ?? fallback, error, retryAfterMs };
    } catch {
      // declared JSON but is not: fall through to text
    }
  }
  const detail = /<html|<!doctype|<body|<title/i.test(text) ? htmlText(text) : squeeze(text);
  return { status: response.status, detail: detail || fallback, retryAfterMs };
}

/** Whether trying the same call again may succeed. */
export function isTransient(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * One place turns SoundCloud's answers into domain errors whose message says what to do.
 * `action` completes "could not …" (e.g. "upload the track").
 */
export function toContinuoError(failure: HttpFailure, action: string, attempts = 1): ContinuoError {
  if (failure.status === 0 && failure.network) {
    return unreachable('SoundCloud', failure.network.url, failure.network, attempts > 1 ? `${action} (${attempts} attempts)` : action);
  }
  const said = failure.detail ? ` (SoundCloud said: ${failure.detail})` : '';
  switch (failure.status) {
    case 400:
      return new InvalidInputError(`SoundCloud rejected the request to ${action}${said}; check the title and the other track fields`, { status: 400 });
    case 401:
      return new UnauthenticatedError(`SoundCloud no longer accepts Continuo's sign-in, so it could not ${action}${said}; ${LOGIN_AGAIN}`);
    case 403:
      return new ContinuoError('FORBIDDEN', `SoundCloud does not allow this account to ${action}${said}; check the account's plan and the app's access on soundcloud.com`, { status: 403 });
    case 404:
      return new ContinuoError('NOT_FOUND', `SoundCloud could not find what was needed to ${action}${said}`, { status: 404 });
    case 413:
      return new TooLargeError(`the audio file is too large for SoundCloud${said}; upload a shorter piece or a compressed format (FLAC, OGG or MP3)`, { status: 413 });
    case 422:
      return new ContinuoError(
        'BAD_USER_INPUT',
        `SoundCloud could not process the audio${said}; send a complete WAV, FLAC, OGG or MP3 file whose name ends with its format`,
        { status: 422 },
      );
    case 429: {
      const seconds = Math.max(1, Math.ceil((failure.retryAfterMs ?? 60_000) / 1000));
      return new RateLimitedError(`SoundCloud's rate limit is reached (${attempts} attempts to ${action}); try again in ${seconds} s`, seconds);
    }
    default:
      return new ContinuoError(
        'INTERNAL',
        failure.status >= 500
          ? `SoundCloud is failing (HTTP ${failure.status} after ${attempts} attempt${attempts === 1 ? '' : 's'} to ${action})${said}; try again later`
          : `SoundCloud answered HTTP ${failure.status} when asked to ${action}${said}`,
        { status: failure.status },
      );
  }
}
