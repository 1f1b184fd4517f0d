import { ContinuoError, UnavailableError } from './errors.js';

/** What went wrong on the way to another server, and what an operator should look at. */
interface Reading {
  readonly why: string;
  readonly check: string;
}

const DNS: Reading = { why: 'its name does not resolve', check: "check the server's internet connection and DNS" };
const REFUSED: Reading = { why: 'nothing accepts connections there', check: 'check the address in the configuration and that the service is up' };
const DROPPED: Reading = { why: 'the connection was dropped', check: "check the server's network and any proxy or firewall in between" };
const SLOW: Reading = { why: 'it did not answer in time', check: "check the server's network and any proxy or firewall in between" };
const NO_ROUTE: Reading = { why: 'there is no route to it', check: "check the server's internet connection" };
const TLS: Reading = { why: 'its TLS certificate is not trusted', check: "check the server's clock and its CA certificates" };

/** Node's (and undici's) codes for failures on the way to another server. */
const READINGS: Record<string, Reading> = {
  ENOTFOUND: DNS,
  EAI_AGAIN: { why: 'DNS did not answer', check: "check the server's internet connection and DNS" },
  ECONNREFUSED: REFUSED,
  ECONNRESET: DROPPED,
  EPIPE: DROPPED,
  UND_ERR_SOCKET: DROPPED,
  ETIMEDOUT: SLOW,
  UND_ERR_CONNECT_TIMEOUT: SLOW,
  UND_ERR_HEADERS_TIMEOUT: SLOW,
  EHOSTUNREACH: NO_ROUTE,
  ENETUNREACH: NO_ROUTE,
  ENETDOWN: NO_ROUTE,
  CERT_HAS_EXPIRED: TLS,
  DEPTH_ZERO_SELF_SIGNED_CERT: TLS,
  SELF_SIGNED_CERT_IN_CHAIN: TLS,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: TLS,
  ERR_TLS_CERT_ALTNAME_INVALID: TLS,
};

export interface NetworkProblem extends Reading {
  /** ENOTFOUND, ECONNREFUSED, TIMEOUT… */
  readonly code: string;
}

/**
 * The network problem behind an error, if it is one. `fetch` reports them as "fetch failed" with
 * the system error as its `cause` (sometimes inside an AggregateError, one per address tried).
 */
export function networkProblem(error: unknown): NetworkProblem | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e) || e instanceof ContinuoError) continue;
    seen.add(e);
    const { code, name, cause, errors } = e as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && READINGS[code]) return { code, ...READINGS[code] };
    if (name === 'TimeoutError') return { code: 'TIMEOUT', ...SLOW };
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return undefined;
}

/** As networkProblem, for a request known to have had no answer whatever the error says. */
export function noAnswerProblem(error: unknown): NetworkProblem {
  return networkProblem(error) ?? { code: 'NO_ANSWER', why: 'no answer came', check: DROPPED.check };
}

/**
 * UNAVAILABLE for a service that could not be reached, naming its host, the cause and what to check:
 * "could not reach SoundCloud (api.soundcloud.com) to upload the track: its name does not resolve
 * (ENOTFOUND); check the server's internet connection and DNS, then try again later".
 */
export function unreachable(service: string, url: string | URL, problem: NetworkProblem, action: string, then = 'try again later'): UnavailableError {
  const host = hostOf(url);
  return new UnavailableError(`could not reach ${service} (${host}) to ${action}: ${problem.why} (${problem.code}); ${problem.check}, then ${then}`, {
    service,
    host,
    errno: problem.code,
    retryAfterSeconds: 60,
  });
}

/**
 * A network failure with no service named (an error no integration caught): UNAVAILABLE without the
 * host, which may be one of the operator's own (a database, a queue).
 */
export function networkFailure(error: unknown): UnavailableError | undefined {
  const problem = networkProblem(error);
  if (!problem) return undefined;
  return new UnavailableError(`the server could not reach a service it depends on: ${problem.why} (${problem.code}); an operator should ${problem.check}, then try again later`, {
    errno: problem.code,
    retryAfterSeconds: 60,
  });
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}
