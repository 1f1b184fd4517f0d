import { setTimeout as sleep } from 'node:timers/promises';
import { logger, type Logger } from '../logger.js';
import type { JobStatus, JobType } from '../store/records.js';
import { JobEventListeners } from './job-events.js';
import { abortWhy, isPermanent, JobAbortedError, toJobFailure } from './job-failure.js';
import { DEFAULT_CONCURRENCY, JOB_TYPES, zeroCounts } from './job-types.js';
import type { EnqueueOptions, JobEvent, JobHandler, JobQueue, ProcessOptions } from './ports.js';
import { settlesWithin } from './shutdown.js';

export interface InProcessQueueOptions {
  /** Handlers at once per type when `process` names none. */
  readonly concurrency?: Partial<Record<JobType, number>>;
  /** First delay between tries, doubled each time (default 1000 ms). */
  readonly backoffMs?: number;
  /** How long close() lets running jobs finish before it aborts them (default 20 s). */
  readonly shutdownGraceMs?: number;
  readonly log?: Logger;
}

interface Entry {
  readonly type: JobType;
  readonly jobId: string;
  readonly data: Record<string, unknown>;
  readonly attempts: number;
  readonly controller: AbortController;
  progress: number;
}

type AnyHandler = JobHandler<Record<string, unknown>>;

/** Ids of finished jobs remembered, so that a late second enqueue of the same id does not run it again. */
const REMEMBER_FINISHED = 10_000;
/** After the grace period, how long aborted handlers get to stop before close() returns anyway. */
const ABORT_WAIT_MS = 5_000;

const keyOf = (type: JobType, jobId: string): string => `${type}:${jobId}`;
const clamp01 = (p: number): number => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);

/**
 * Jobs run by the server process itself (no Redis): FIFO per type, a few handlers at once per type.
 * It survives nothing: queued and running jobs are lost when the process stops. That is by design —
 * the job records in the store still say queued/running, and the recovery step at start-up enqueues
 * them again.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly log: Logger;
  private readonly listeners: JobEventListeners;
  private readonly handlers = new Map<JobType, { handler: AnyHandler; concurrency: number; stopAtShutdown: boolean }>();
  private readonly waiting = new Map<JobType, Entry[]>(JOB_TYPES.map((type) => [type, []]));
  private readonly queued = new Map<string, Entry>();
  private readonly running = new Map<string, Entry>();
  private readonly runningPerType = zeroCounts();
  private readonly runs = new Set<Promise<void>>();
  private readonly finished = new Set<string>();
  private closing?: Promise<void>;

  constructor(private readonly options: InProcessQueueOptions = {}) {
    this.log = (options.log ?? logger).child({ module: 'jobs', queue: 'in-process' });
    this.listeners = new JobEventListeners(this.log);
  }

  process<D extends Record<string, unknown>>(type: JobType, handler: JobHandler<D>, options: ProcessOptions = {}): void {
    this.assertOpen();
    if (this.handlers.has(type)) throw new Error(`a handler for '${type}' jobs is already registered`);
    const concurrency = options.concurrency ?? this.options.concurrency?.[type] ?? DEFAULT_CONCURRENCY[type];
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.handlers.set(type, { handler: handler as AnyHandler, concurrency, stopAtShutdown: options.stopAtShutdown ?? false });
    this.pump(type);
  }

  async enqueue(type: JobType, jobId: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
    this.assertOpen();
    const attempts = options.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
    const key = keyOf(type, jobId);
    if (this.queued.has(key) || this.running.has(key) || this.finished.has(key)) return;
    // A JSON copy, as BullMQ stores it: the handler sees the same data with either queue, and cannot change the caller's.
    const entry: Entry = { type, jobId, data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>, attempts, controller: new AbortController(), progress: 0 };
    this.queued.set(key, entry);
    this.waiting.get(type)!.push(entry);
    this.pump(type);
  }

  async cancel(type: JobType, jobId: string): Promise<boolean> {
    this.assertOpen();
    const key = keyOf(type, jobId);
    const queued = this.queued.get(key);
    if (queued) {
      const waiting = this.waiting.get(type)!;
      waiting.splice(waiting.indexOf(queued), 1);
      this.queued.delete(key);
      this.remember(key);
      this.emit(queued, 'cancelled');
      return true;
    }
    const running = this.running.get(key);
    if (!running) return false;
    // The run reports 'cancelled' once the handler has stopped.
    if (!running.controller.signal.aborted) running.controller.abort(new JobAbortedError('cancelled'));
    return true;
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async depth(): Promise<Record<JobType, number>> {
    const counts = zeroCounts();
    for (const type of JOB_TYPES) counts[type] = this.waiting.get(type)!.length + this.runningPerType[type];
    return counts;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Queued jobs are dropped without events: the store still says 'queued', and recovery enqueues them at the next start.
    for (const waiting of this.waiting.values()) waiting.length = 0;
    this.queued.clear();
    const settled = Promise.allSettled([...this.runs]);
    for (const entry of this.running.values()) {
      if (this.handlers.get(entry.type)?.stopAtShutdown) entry.controller.abort(new JobAbortedError('shutdown'));
    }
    if (await settlesWithin(settled, this.options.shutdownGraceMs ?? 20_000)) return;
    this.log.warn({ running: this.running.size }, 'aborting running jobs to close');
    for (const entry of this.running.values()) entry.controller.abort(new JobAbortedError('shutdown'));
    await settlesWithin(settled, ABORT_WAIT_MS);
  }

  private pump(type: JobType): void {
    const registered = this.handlers.get(type);
    if (!registered || this.closing) return;
    const waiting = this.waiting.get(type)!;
    while (this.runningPerType[type] < registered.concurrency && waiting.length) {
      const entry = waiting.shift()!;
      const key = keyOf(type, entry.jobId);
      this.queued.delete(key);
      this.running.set(key, entry);
      this.runningPerType[type] += 1;
      const run = this.run(entry, registered.handler).finally(() => {
        this.runs.delete(run);
        this.running.delete(key);
        this.runningPerType[type] -= 1;
        this.remember(key);
        this.pump(type);
      });
      this.runs.add(run);
    }
  }

  private async run(entry: Entry, handler: AnyHandler): Promise<void> {
    const { signal } = entry.controller;
    for (let attempt = 1; ; attempt += 1) {
      this.emit(entry, 'running');
      try {
        const result = await handler({
          jobId: entry.jobId,
          type: entry.type,
          data: entry.data,
          attempt,
          signal,
          updateProgress: async (progress, detail) => {
            entry.progress = clamp01(progress);
            this.emit(entry, 'running', detail ? { detail } : {});
          },
        });
        // A cancel wins even over a handler that finished anyway: the person asked for it to stop.
        if (abortWhy(signal) === 'cancelled') return this.emit(entry, 'cancelled');
        return this.emit(entry, 'done', { progress: 1, ...(result ? { result } : {}) });
      } catch (error) {
        if (this.stoppedBy(entry)) return;
        const failure = toJobFailure(error, entry.type);
        if (isPermanent(failure) || attempt >= entry.attempts) return this.emit(entry, 'failed', { error: failure });
        this.log.warn({ type: entry.type, jobId: entry.jobId, attempt, err: error }, 'job attempt failed; trying again');
      }
      try {
        await sleep((this.options.backoffMs ?? 1000) * 2 ** (attempt - 1), undefined, { signal });
      } catch {
        if (this.stoppedBy(entry)) return;
      }
    }
  }

  /** After an abort: a cancelled job reports so; one aborted by shutdown says nothing (recovery re-enqueues it). */
  private stoppedBy(entry: Entry): boolean {
    const why = abortWhy(entry.controller.signal);
    if (why === 'cancelled') this.emit(entry, 'cancelled');
    return why !== undefined;
  }

  private emit(entry: Entry, status: JobStatus, extra: Partial<JobEvent> = {}): void {
    this.listeners.emit({ jobId: entry.jobId, type: entry.type, status, progress: entry.progress, ...extra });
  }

  private remember(key: string): void {
    this.finished.add(key);
    if (this.finished.size > REMEMBER_FINISHED) this.finished.delete(this.finished.values().next().value!);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the job queue is closed');
  }
}
