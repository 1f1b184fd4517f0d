import type { Worker } from 'node:worker_threads';
import { TooLargeError, UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { melodyFromInput, readsSlowly, type MelodyInput } from '../music/melody-input.js';
import type { Melody } from '../music/melody.js';
import { THREAD_MIDI_LIMITS } from '../music/midi-scan.js';
import { startWorker } from '../worker-thread.js';
import type { BackendChoice } from './backend.js';
import { windowsFor, type ComposeOptions } from './compose.js';
import type { ComposedMidi } from './composed-midi.js';
import type { Inference } from './inference.js';
import type { ModelRegistry } from './registry.js';
import { fromThreadError, type FromThread, type Outcome, type ThreadData, type ToThread } from './thread-messages.js';

export interface InferencePoolOptions {
  readonly threads: number;
  /**
   * Most windows one forward pass takes from compositions of one model that wait together; 1 lets
   * each composition run alone (its own windows and variations are always one pass).
   */
  readonly batchWindows: number;
  /** The backend the threads start (this process's). */
  readonly backend: BackendChoice;
  readonly log: Logger;
  readonly logLevel: string;
  /** How long a thread may read one melody before it is stopped and replaced (default 10 s). */
  readonly readTimeoutMs?: number;
}

interface ComposeTask {
  readonly kind: 'compose';
  readonly modelId: string;
  readonly melody: Melody;
  readonly options: ComposeOptions;
  readonly windows: number;
  resolve(value: ComposedMidi): void;
  reject(error: Error): void;
}

interface MelodyTask {
  readonly kind: 'melody';
  readonly input: MelodyInput;
  resolve(value: Melody): void;
  reject(error: Error): void;
}

type Task = ComposeTask | MelodyTask;

interface PoolThread {
  readonly worker: Worker;
  ready: boolean;
  /** What it works on now, by message id; a thread gets one message of work at a time. */
  running?: { readonly id: number; readonly tasks: readonly Task[]; readonly timer?: NodeJS.Timeout };
}

/** Thread starts that fail one after another before the pool stops trying (a backend that cannot start). */
const MAX_FAILED_STARTS = 3;
const READ_TIMEOUT_MS = 10_000;
/**
 * A thread's young generation, in MiB: V8's default lets each thread's heap hold tens of MiB of
 * garbage between collections; 8 keeps two threads about 60 MiB smaller at no measurable cost.
 */
const THREAD_YOUNG_GENERATION_MB = 8;

/**
 * Compositions and slow melody reads in worker threads, each with its own TF.js backend and its own
 * copy of the models, so that the event loop only routes requests. Compositions of one model that
 * wait together go through the generator in one forward pass (up to `batchWindows` windows), each
 * with its own noise: the result is the one it gets alone. Models the registry loads or reloads
 * reach every thread, in order before any later composition. A thread that dies is replaced; its
 * work fails with UNAVAILABLE, and a melody read that takes too long fails with PAYLOAD_TOO_LARGE.
 */
export class InferencePool implements Inference {
  readonly threads: number;
  readonly concurrency: number;
  private readonly pool = new Set<PoolThread>();
  private readonly melodies: MelodyTask[] = [];
  private readonly compositions: ComposeTask[] = [];
  private readonly waiters = new Map<number, (message: FromThread) => void>();
  private readonly unsubscribe: () => void;
  private nextId = 1;
  private failedStarts = 0;
  private broken?: Error;
  private closed = false;

  constructor(
    private readonly models: ModelRegistry,
    private readonly options: InferencePoolOptions,
  ) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a positive integer, got ${options.threads}`);
    this.threads = options.threads;
    // Enough compose jobs in flight to fill a batch on every thread while the last ones are stored.
    this.concurrency = options.threads * 8;
    this.unsubscribe = models.onLoad((model) => this.broadcast({ type: 'load', dir: model.dir }));
    for (let i = 0; i < options.threads; i++) this.spawn();
  }

  async compose(modelId: string, melody: Melody, options: ComposeOptions): Promise<ComposedMidi> {
    const { card } = this.models.get(modelId); // an unknown model fails here, before it waits
    return this.submit<ComposedMidi>((resolve, reject) => ({
      kind: 'compose', modelId, melody, options, windows: windowsFor(card, melody, options.variations ?? 1), resolve, reject,
    }));
  }

  async readMelody(input: MelodyInput): Promise<Melody> {
    if (!readsSlowly(input)) return melodyFromInput(input, THREAD_MIDI_LIMITS);
    return this.submit<Melody>((resolve, reject) => ({ kind: 'melody', input, resolve, reject }));
  }

  /** Tensors alive in each ready thread (a composition must leave none behind). */
  async tensorCounts(): Promise<number[]> {
    const ready = [...this.pool].filter((t) => t.ready);
    return Promise.all(ready.map((thread) => new Promise<number>((resolve) => {
      const id = this.nextId++;
      this.waiters.set(id, (m) => resolve(m.type === 'tensors' ? m.count : -1));
      this.post(thread, { type: 'tensors', id });
    })));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    const stopped = new UnavailableError('the server is shutting down; try again shortly');
    for (const task of this.melodies.splice(0)) task.reject(stopped);
    for (const task of this.compositions.splice(0)) task.reject(stopped);
    await Promise.all([...this.pool].map(async (thread) => {
      this.pool.delete(thread);
      for (const task of thread.running?.tasks ?? []) task.reject(stopped);
      await thread.worker.terminate();
    }));
  }

  private submit<T>(make: (resolve: (value: T) => void, reject: (error: Error) => void) => Task): Promise<T> {
    if (this.closed) return Promise.reject(new UnavailableError('the server is shutting down; try again shortly'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      const task = make(resolve, reject);
      if (task.kind === 'melody') this.melodies.push(task);
      else this.compositions.push(task);
      this.dispatch();
    });
  }

  private spawn(): void {
    const data: ThreadData = { backend: this.options.backend, logLevel: this.options.logLevel, modelDirs: this.models.list().map((m) => m.dir) };
    const worker = startWorker(import.meta.url, './inference.worker', { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });
    const thread: PoolThread = { worker, ready: false };
    this.pool.add(thread);
    worker.on('message', (message: FromThread) => this.receive(thread, message));
    worker.on('error', (err) => this.options.log.error({ err }, 'an inference thread failed'));
    worker.on('exit', (code) => this.exited(thread, code));
  }

  private receive(thread: PoolThread, message: FromThread): void {
    if (message.type === 'ready') {
      thread.ready = true;
      this.failedStarts = 0;
      return this.dispatch();
    }
    if (message.type === 'tensors') {
      this.waiters.get(message.id)?.(message);
      this.waiters.delete(message.id);
      return;
    }
    const running = thread.running;
    if (!running || running.id !== message.id) return;
    clearTimeout(running.timer);
    thread.running = undefined;
    if (message.type === 'composed') {
      running.tasks.forEach((task, i) => settle(task as ComposeTask, message.results[i]));
    } else {
      settle(running.tasks[0] as MelodyTask, message.result);
    }
    this.dispatch();
  }

  private exited(thread: PoolThread, code: number): void {
    if (!this.pool.delete(thread) || this.closed) return;
    const failure = new UnavailableError('an inference thread stopped while it worked on this; try again');
    for (const task of thread.running?.tasks ?? []) task.reject(failure);
    clearTimeout(thread.running?.timer);
    if (!thread.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.broken = new UnavailableError(`the inference threads do not start (exit code ${code}); see the server's log`);
      this.options.log.error({ code }, 'inference threads do not start; compositions fail until the server restarts');
      for (const task of [...this.melodies.splice(0), ...this.compositions.splice(0)]) task.reject(this.broken);
      return;
    }
    this.options.log.warn({ code }, 'an inference thread stopped; starting another');
    this.spawn();
  }

  /** Gives each idle thread the next work: a melody read first (a request waits on it), else a batch of compositions. */
  private dispatch(): void {
    for (const thread of this.pool) {
      if (!thread.ready || thread.running) continue;
      const melody = this.melodies.shift();
      if (melody) {
        const id = this.nextId++;
        const timer = setTimeout(() => this.overran(thread, melody), this.options.readTimeoutMs ?? READ_TIMEOUT_MS);
        thread.running = { id, tasks: [melody], timer };
        this.post(thread, { type: 'melody', id, input: melody.input, limits: THREAD_MIDI_LIMITS });
        continue;
      }
      const batch = this.nextBatch();
      if (!batch) return;
      const id = this.nextId++;
      thread.running = { id, tasks: batch };
      this.post(thread, { type: 'compose', id, modelId: batch[0].modelId, requests: batch.map((t) => ({ melody: t.melody, options: t.options })) });
    }
  }

  /** The oldest composition waiting, with the others of its model that fit beside it in one pass. */
  private nextBatch(): ComposeTask[] | undefined {
    const first = this.compositions.shift();
    if (!first) return undefined;
    const batch = [first];
    let windows = first.windows;
    for (let i = 0; i < this.compositions.length && windows < this.options.batchWindows; ) {
      const task = this.compositions[i];
      if (task.modelId === first.modelId && windows + task.windows <= this.options.batchWindows) {
        batch.push(task);
        windows += task.windows;
        this.compositions.splice(i, 1);
      } else {
        i += 1;
      }
    }
    return batch;
  }

  /** A melody read that holds its thread too long: the thread is stopped (and replaced), the read refused. */
  private overran(thread: PoolThread, task: MelodyTask): void {
    const seconds = (this.options.readTimeoutMs ?? READ_TIMEOUT_MS) / 1000;
    task.reject(new TooLargeError(`the melody took more than ${seconds} s to read; send a shorter file, or only its melody track`));
    thread.running = undefined;
    void thread.worker.terminate();
  }

  private broadcast(message: ToThread): void {
    for (const thread of this.pool) this.post(thread, message);
  }

  private post(thread: PoolThread, message: ToThread): void {
    thread.worker.postMessage(message);
  }
}

function settle<T>(task: { resolve(value: T): void; reject(error: Error): void }, outcome: Outcome<T> | undefined): void {
  if (!outcome) task.reject(new UnavailableError('an inference thread gave no answer; try again'));
  else if (outcome.ok) task.resolve(outcome.value);
  else task.reject(fromThreadError(outcome.error));
}
