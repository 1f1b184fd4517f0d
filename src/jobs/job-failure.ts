import { ContinuoError, type ErrorCode } from '../errors.js';

/**
 * How a handler's error becomes a job failure: a `{ code, message }` for events and records, and
 * whether it is worth another try.
 */
export interface JobFailure {
  readonly code: string;
  readonly message: string;
}

/** Codes that another try cannot fix: the input is wrong or the thing it names is gone. */
const PERMANENT_CODES: ReadonlySet<string> = new Set<ErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND']);

export function toJobFailure(error: unknown): JobFailure {
  if (error instanceof Error) {
    // Only our own codes: other errors have `code`s too (ENOENT, ERR_…), but to a caller they are INTERNAL.
    return { code: error instanceof ContinuoError ? error.code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}

export function isPermanent(failure: JobFailure): boolean {
  return PERMANENT_CODES.has(failure.code);
}

export type AbortWhy = 'cancelled' | 'shutdown';

/**
 * The reason a job's signal carries: `cancelled` (someone called cancel) or `shutdown` (the process is
 * closing and hands the job back). Named AbortError so that code checking `error.name` treats it as one.
 */
export class JobAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(readonly why: AbortWhy) {
    super(why === 'cancelled' ? 'job cancelled' : 'job handed back: the worker is shutting down');
  }
}

export function abortWhy(signal: AbortSignal): AbortWhy | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason instanceof JobAbortedError ? signal.reason.why : 'cancelled';
}
