import { ContinuoError, type ErrorCode } from '../errors.js';
import type { MelodyInput } from '../music/melody-input.js';
import type { Melody } from '../music/melody.js';
import type { MidiLimits } from '../music/midi-scan.js';
import type { BackendChoice } from './backend.js';
import type { ComposeOptions } from './compose.js';
import type { ComposedMidi } from './composed-midi.js';

/** What an inference thread starts with. */
export interface ThreadData {
  readonly backend: BackendChoice;
  readonly logLevel: string;
  /** The model folders loaded in the process now. */
  readonly modelDirs: readonly string[];
}

/** Messages from the pool to a thread; a thread handles them one after another, in order. */
export type ToThread =
  | { readonly type: 'load'; readonly dir: string }
  | { readonly type: 'compose'; readonly id: number; readonly modelId: string; readonly requests: readonly { melody: Melody; options: ComposeOptions }[] }
  | { readonly type: 'melody'; readonly id: number; readonly input: MelodyInput; readonly limits: MidiLimits }
  | { readonly type: 'tensors'; readonly id: number };

/** Messages from a thread: `ready` once its models are loaded, then one answer per request by id. */
export type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'composed'; readonly id: number; readonly results: readonly Outcome<ComposedMidi>[] }
  | { readonly type: 'melody'; readonly id: number; readonly result: Outcome<Melody> }
  | { readonly type: 'tensors'; readonly id: number; readonly count: number };

/** An error as it crosses threads: a domain error keeps its code and details. */
export interface ThreadError {
  readonly message: string;
  readonly code?: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly stack?: string;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof ContinuoError) return { message: error.message, code: error.code, details: error.details };
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}

/** The error again on this side: a ContinuoError with its code, else a plain Error (logged, and masked for clients). */
export function fromThreadError(e: ThreadError): Error {
  if (e.code) return new ContinuoError(e.code, e.message, e.details);
  const error = new Error(e.message);
  if (e.stack) error.stack = e.stack;
  return error;
}

export function outcomeOf<T>(settled: PromiseSettledResult<T>): Outcome<T> {
  return settled.status === 'fulfilled' ? { ok: true, value: settled.value } : { ok: false, error: toThreadError(settled.reason) };
}
