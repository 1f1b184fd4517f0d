import { ContinuoError, type ErrorCode } from '../errors.js';
import { knownFailure } from '../known-failure.js';
import type { JobType } from '../store/records.js';

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

const DOING: Record<JobType, string> = { compose: 'composing', share: 'publishing', train: 'training' };

/**
 * The one conversion of a job's error into what its records, events and callers see: domain errors
 * as they are, disk and network failures as UNAVAILABLE, anything else INTERNAL with a message that
 * names no internals (the error itself goes to the log).
 */
export function failureOf(error: unknown, type?: JobType): ContinuoError {
  return knownFailure(error) ?? new ContinuoError('INTERNAL', `${type ? DOING[type] : 'the job'} failed on the server (the cause is in its log); try again`);
}

export function toJobFailure(error: unknown, type?: JobType): JobFailure {
  const { code, message } = failureOf(error, type);
  return { code, message };
}

/*
 * A failure crosses processes (BullMQ's `failedReason` is a string) as `[CODE] message`, readable in
 * dashboards too. Reasons BullMQ writes itself ("job stalled more than allowable limit") carry no
 * code: they are INTERNAL, with BullMQ's words, which name nothing of the server.
 */
export const encodeFailure = (failure: JobFailure): string => `[${failure.code}] ${failure.message}`;

export function decodeFailure(reason: string | undefined): JobFailure {
  const match = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(reason ?? '');
  return match ? { code: match[1]!, message: match[2]! } : { code: 'INTERNAL', message: reason || 'job failed' };
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
