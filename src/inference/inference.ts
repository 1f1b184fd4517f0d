import { availableParallelism } from 'node:os';
import type { Logger } from '../logger.js';
import { melodyFromInput, type MelodyInput } from '../music/melody-input.js';
import type { Melody } from '../music/melody.js';
import { currentBackend, type BackendChoice } from './backend.js';
import { compose, type ComposeOptions } from './compose.js';
import { withMidi, type ComposedMidi } from './composed-midi.js';
import { InferencePool } from './inference-pool.js';
import type { ModelRegistry } from './registry.js';

/**
 * Where compositions are made and melodies read: on the event loop (`MainThreadInference`) or in a
 * pool of worker threads (`InferencePool`). Compose jobs and requests go through it alike.
 */
export interface Inference {
  /** Worker threads composing; 0 when this thread does. */
  readonly threads: number;
  /** Compose jobs worth running at once in this process: enough to keep every thread's batches full. */
  readonly concurrency: number;
  compose(modelId: string, melody: Melody, options: ComposeOptions): Promise<ComposedMidi>;
  /** The melody a request names, read where it cannot hold up the event loop for long. */
  readMelody(input: MelodyInput): Promise<Melody>;
  close(): Promise<void>;
}

/** Composition on this thread, and MIDI files held to what the event loop reads quickly. */
export class MainThreadInference implements Inference {
  readonly threads = 0;
  readonly concurrency = 2;

  constructor(private readonly models: ModelRegistry) {}

  async compose(modelId: string, melody: Melody, options: ComposeOptions): Promise<ComposedMidi> {
    return withMidi(await compose(this.models.get(modelId), melody, options));
  }

  async readMelody(input: MelodyInput): Promise<Melody> {
    return melodyFromInput(input);
  }

  async close(): Promise<void> {}
}

export interface InferenceSettings {
  /** Unset: one per core, none with the tensorflow backend. */
  readonly threads?: number;
  readonly batchWindows: number;
}

/**
 * The inference of a process, on the backend it chose: a pool of threads, or this thread where there
 * are none, where the backend is tensorflow (its native library serves one thread; a GPU does the
 * work anyway), or 0 threads are asked for. A process that runs no jobs reads melodies only: one thread.
 */
export function createInference(models: ModelRegistry, settings: InferenceSettings, o: { runJobs: boolean; log: Logger }): Inference {
  const backend = (currentBackend()?.name ?? 'wasm') as BackendChoice;
  const asked = settings.threads ?? (backend === 'tensorflow' ? 0 : availableParallelism());
  if (asked > 0 && backend === 'tensorflow') {
    o.log.warn({ threads: asked }, 'INFERENCE_THREADS is not used with the tensorflow backend: compositions run on the event loop');
    return new MainThreadInference(models);
  }
  const threads = o.runJobs ? asked : Math.min(1, asked);
  if (threads === 0) return new MainThreadInference(models);
  return new InferencePool(models, { threads, batchWindows: settings.batchWindows, backend, log: o.log, logLevel: o.log.level });
}
