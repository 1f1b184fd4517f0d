import { Queue, QueueEvents, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import { logger, type Logger } from '../logger.js';
import type { JobStatus, JobType } from '../store/records.js';
import { JobEventListeners } from './job-events.js';
import { abortWhy, decodeFailure, encodeFailure, isPermanent, JobAbortedError, toJobFailure, type AbortWhy } from './job-failure.js';
import { DEFAULT_CONCURRENCY, JOB_TYPES, zeroCounts } from './job-types.js';
import type { EnqueueOptions, JobContext, JobEvent, JobHandler, JobQueue, ProcessOptions } from './ports.js';
import { settlesWithin } from './shutdown.js';

export interface BullMQQueueOptions {
  readonly redisUrl: string;
  /** Prefix of every Redis key (default `continuo`); tests use one of their own. */
  readonly prefix?: string;
  /** Handlers per worker and type when `process` names none. */
  readonly concurrency?: Partial<Record<JobType, number>>;
  /** Tries per job when `enqueue` names none (default 3). */
  readonly attempts?: number;
  /** First delay between tries, doubled each time (default 1000 ms). */
  readonly backoffMs?: number;
  /**
   * How long a worker's lock on a job lasts (default 30 s; renewed every half of it). A worker that dies
   * stops renewing; after the lock lapses, the next stalled check of any other worker (every
   * `stalledIntervalMs`, default 30 s) puts the job back in the queue, at most `maxStalledCount` times
   * (default 1) before it is reported failed. Handlers must not block the event loop for longer than
   * the lock lasts, or their job is taken for stalled while it still runs.
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly maxStalledCount?: number;
  /** How often a running job checks its cancel flag, in case the pub/sub message was missed (default 5 s). */
  readonly cancelPollMs?: number;
  /** How long close() lets running jobs finish before it hands them back to the queue (default 20 s). */
  readonly shutdownGraceMs?: number;
  readonly log?: Logger;
}

type AnyHandler = JobHandler<Record<string, unknown>>;
type AnyJob = Job<Record<string, unknown>, Record<string, unknown> | null>;

/** Finished jobs stay this long so that a second enqueue of the same id is still recognised (and for dashboards). */
const KEEP_COMPLETED_S = 24 * 3600;
const KEEP_FAILED_S = 7 * 24 * 3600;
/** A cancel flag outlives any retry backoff of its job. */
const CANCEL_FLAG_TTL_S = 24 * 3600;
/** After the grace period, how long aborted handlers get to stop before the worker is closed by force. */
const ABORT_WAIT_MS = 5_000;
const SHUTDOWN_REASON = 'continuo:shutdown';
/** Longest each connection gets to close cleanly before it is dropped. */
const CLOSE_WAIT_MS = 2_000;
/** Longest an enqueue waits for Redis before it is refused (UNAVAILABLE). */
const ENQUEUE_TIMEOUT_MS = 3_000;
const CANCEL_REASON = 'continuo:cancel';
const CANCELLED = 'CANCELLED';

export const queueName = (type: JobType): string => `continuo-${type}`;

function readProgress(data: unknown): { progress?: number; detail?: Record<string, unknown> } {
  if (typeof data === 'number') return { progress: data };
  if (data && typeof data === 'object') {
    const { progress, detail } = data as { progress?: unknown; detail?: unknown };
    return {
      ...(typeof progress === 'number' ? { progress } : {}),
      ...(detail && typeof detail === 'object' ? { detail: detail as Record<string, unknown> } : {}),
    };
  }
  return {};
}

const clamp01 = (p: number): number => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);

/**
 * Jobs on Redis with BullMQ: one queue per job type (`continuo-<type>`), our job id as BullMQ's job id
 * (so a second enqueue of an id is a no-op), workers in whichever processes call `process`, and
 * events read by every process from the queues' event streams (QueueEvents).
 *
 * Cancelling: a waiting or delayed job is removed. For an active job in another process, `cancel`
 * sets a flag key and publishes on a channel; workers subscribe to the channel and abort the job
 * through BullMQ's own `worker.cancelJob` (the handler's signal), and also poll the flag while a job
 * runs and check it when a job starts, which covers a missed message and a job that was picked up
 * between the state check and the publish.
 */
export class BullMQJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly queues = new Map<JobType, Queue>();
  private readonly workers = new Map<JobType, Worker>();
  /** Types whose running jobs shutdown hands back at once (they resume from a checkpoint). */
  private readonly stopAtShutdown = new Set<JobType>();
  private readonly queueEvents: QueueEvents[] = [];
  private readonly listeners: JobEventListeners;
  /** Handlers running in this process, to wait for on close. */
  private readonly running = new Set<Promise<unknown>>();
  /** Last progress seen per job, so that running/failed/cancelled events carry it. */
  private readonly progress = new Map<string, number>();
  private redis?: Redis;
  private subscriber?: Redis;
  private closing?: Promise<void>;

  constructor(private readonly options: BullMQQueueOptions) {
    this.log = (options.log ?? logger).child({ module: 'jobs', queue: 'bullmq' });
    this.prefix = options.prefix ?? 'continuo';
    this.listeners = new JobEventListeners(this.log);
  }

  process<D extends Record<string, unknown>>(type: JobType, handler: JobHandler<D>, options: ProcessOptions = {}): void {
    this.assertOpen();
    if (this.workers.has(type)) throw new Error(`a handler for '${type}' jobs is already registered`);
    const concurrency = options.concurrency ?? this.options.concurrency?.[type] ?? DEFAULT_CONCURRENCY[type];
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.listenForCancels();
    if (options.stopAtShutdown) this.stopAtShutdown.add(type);
    const run = this.processor(type, handler as AnyHandler);
    // Three parameters: BullMQ only creates the cancellation signal for a processor that takes one.
    const processor = (job: AnyJob, token?: string, signal?: AbortSignal) => {
      const running = run(job, token, signal);
      this.running.add(running);
      return running.finally(() => this.running.delete(running));
    };
    const worker = new Worker<Record<string, unknown>, Record<string, unknown> | null>(queueName(type), processor, {
      connection: { url: this.options.redisUrl },
      prefix: this.prefix,
      concurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 1,
    });
    worker.on('error', (err) => this.log.error({ err, type }, 'worker error'));
    worker.on('failed', (job, err) => {
      const fields = { type, jobId: job?.id, attempt: job?.attemptsStarted, reason: err.message };
      if (decodeFailure(err.message).code === CANCELLED) this.log.info(fields, 'job cancelled');
      else this.log.warn(fields, 'job attempt failed');
    });
    this.workers.set(type, worker);
  }

  async enqueue(type: JobType, jobId: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
    this.assertOpen();
    const attempts = options.attempts ?? this.options.attempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
    // BullMQ ignores an add whose jobId exists already (it emits 'duplicated'): no second run.
    // Its job ids must not look like integers or contain ':'; the store's ids never do.
    const added = this.queue(type).add(type, data, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1000 },
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    });
    // With Redis gone, ioredis holds the command while it reconnects: the caller would wait for minutes.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError('the job queue (Redis) does not answer; try again in a minute', { retryAfterSeconds: 60 })), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([added, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async cancel(type: JobType, jobId: string): Promise<boolean> {
    this.assertOpen();
    const queue = this.queue(type);
    const job = await queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') return false;
    // The flag first: whatever happens next (the job starts, is retried, the message is missed), its worker finds it.
    const flag = this.cancelKey(type, jobId);
    await this.commands().set(flag, '1', 'EX', CANCEL_FLAG_TTL_S);
    // A job that is not locked by a worker just goes; QueueEvents reports 'removed', read as cancelled.
    if (state !== 'active' && (await queue.remove(jobId)) === 1) {
      await this.commands().del(flag);
      return true;
    }
    await this.commands().publish(this.cancelChannel(), JSON.stringify({ type, jobId }));
    return true;
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    this.assertOpen();
    this.listenForEvents();
    return this.listeners.add(listener);
  }

  /** Redis answers PING within a second (a queue whose Redis is gone would hold every enqueue). */
  async ping(): Promise<boolean> {
    if (this.closing) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 1000)));
    try {
      return await Promise.race([this.commands().ping().then((answer) => answer === 'PONG', () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async depth(): Promise<Record<JobType, number>> {
    this.assertOpen();
    const counts = zeroCounts();
    await Promise.all(
      JOB_TYPES.map(async (type) => {
        const byState = await this.queue(type).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        counts[type] = Object.values(byState).reduce((sum, n) => sum + n, 0);
      }),
    );
    return counts;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const workers = [...this.workers.values()];
    // Stop taking jobs first, so that the grace period goes to the running ones.
    await Promise.all(workers.map((worker) => worker.pause(true)));
    const settled = Promise.allSettled([...this.running]);
    for (const type of this.stopAtShutdown) this.workers.get(type)?.cancelAllJobs(SHUTDOWN_REASON);
    if (!(await settlesWithin(settled, this.options.shutdownGraceMs ?? 20_000))) {
      this.log.warn({ running: this.running.size }, 'handing running jobs back to the queue');
      for (const worker of workers) worker.cancelAllJobs(SHUTDOWN_REASON);
      await settlesWithin(settled, ABORT_WAIT_MS);
    }
    // By force only if a handler ignores its signal: its lock then lapses and another worker retries it as stalled.
    await Promise.all(workers.map((worker) => worker.close(this.running.size > 0)));
    // Bounded: with Redis gone, closing waits for a reconnection that may never come.
    await settlesWithin(Promise.all([...this.queues.values()].map((queue) => queue.close())), CLOSE_WAIT_MS);
    await settlesWithin(Promise.all(this.queueEvents.map((events) => events.close())), CLOSE_WAIT_MS);
    await Promise.all(
      [this.subscriber, this.redis].map(async (client) => {
        if (client && !(await settlesWithin(client.quit(), CLOSE_WAIT_MS))) client.disconnect();
      }),
    );
  }

  private processor(type: JobType, handler: AnyHandler) {
    return async (job: AnyJob, token: string | undefined, signal: AbortSignal | undefined): Promise<Record<string, unknown> | null> => {
      const jobId = job.id ?? '';
      const controller = new AbortController();
      const abort = (why: AbortWhy) => {
        if (!controller.signal.aborted) controller.abort(new JobAbortedError(why));
      };
      // BullMQ's signal carries a string reason; ours carries a JobAbortedError, as in-process.
      const onAbort = () => abort(signal?.reason === SHUTDOWN_REASON ? 'shutdown' : 'cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      const poll = setInterval(() => {
        this.cancelRequested(type, jobId).then(
          (yes) => yes && abort('cancelled'),
          (err: unknown) => this.log.warn({ err, jobId }, 'cannot read the cancel flag'),
        );
      }, this.options.cancelPollMs ?? 5_000);
      let result: Record<string, unknown> | void = undefined;
      let threw = false;
      try {
        if (await this.cancelRequested(type, jobId)) abort('cancelled');
        else result = await handler(this.context(type, job, controller.signal));
      } catch (error) {
        if (!controller.signal.aborted) throw this.toBullMQError(error, type);
        threw = true;
      } finally {
        clearInterval(poll);
        signal?.removeEventListener('abort', onAbort);
      }
      const why = abortWhy(controller.signal);
      if (why === 'cancelled') throw new UnrecoverableError(encodeFailure({ code: CANCELLED, message: 'job cancelled' }));
      if (why === 'shutdown' && threw) {
        // Handed back, not failed: the next worker starts it again without using up a try.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      return result ?? null;
    };
  }

  private context(type: JobType, job: AnyJob, signal: AbortSignal): JobContext<Record<string, unknown>> {
    return {
      jobId: job.id ?? '',
      type,
      data: job.data,
      // Counts starts, so a run after a crashed worker is a new attempt too.
      attempt: Math.max(1, job.attemptsStarted),
      signal,
      updateProgress: async (progress, detail) => {
        await job.updateProgress({ progress: clamp01(progress), ...(detail ? { detail } : {}) });
      },
    };
  }

  private toBullMQError(error: unknown, type: JobType): Error {
    const failure = toJobFailure(error, type);
    const wrapped = isPermanent(failure) ? new UnrecoverableError(encodeFailure(failure)) : new Error(encodeFailure(failure));
    if (error instanceof Error && error.stack) wrapped.stack = error.stack;
    return wrapped;
  }

  private listenForEvents(): void {
    if (this.queueEvents.length) return;
    // Start at "now" rather than at '$' (the stream's end when XREAD first runs, a moment later), so that
    // no event between onEvent() and the first read is lost. Stream ids are Redis server time.
    const lastEventId = `${Date.now()}-0`;
    for (const type of JOB_TYPES) {
      const events = new QueueEvents(queueName(type), { connection: { url: this.options.redisUrl }, prefix: this.prefix, lastEventId });
      events.on('error', (err) => this.log.error({ err, type }, 'queue events error'));
      events.on('active', ({ jobId }) => this.emit(type, jobId, 'running'));
      events.on('progress', ({ jobId, data }) => {
        const { progress, detail } = readProgress(data);
        if (progress !== undefined) this.progress.set(jobId, progress);
        this.emit(type, jobId, 'running', detail ? { detail } : {});
      });
      events.on('completed', ({ jobId, returnvalue }) => {
        const result = returnvalue && typeof returnvalue === 'object' ? (returnvalue as Record<string, unknown>) : undefined;
        this.emit(type, jobId, 'done', { progress: 1, ...(result ? { result } : {}) });
      });
      events.on('failed', ({ jobId, failedReason }) => {
        const error = decodeFailure(failedReason);
        if (error.code === CANCELLED) this.emit(type, jobId, 'cancelled');
        else this.emit(type, jobId, 'failed', { error });
      });
      events.on('removed', ({ jobId, prev }) => {
        // Removing a finished job (clean-up) is no cancellation.
        if (prev !== 'completed' && prev !== 'failed') this.emit(type, jobId, 'cancelled');
      });
      events.on('stalled', ({ jobId }) => this.log.warn({ type, jobId }, 'job stalled: its worker stopped; it goes back to the queue'));
      this.queueEvents.push(events);
    }
  }

  private emit(type: JobType, jobId: string, status: JobStatus, extra: Partial<JobEvent> = {}): void {
    const event: JobEvent = { jobId, type, status, progress: this.progress.get(jobId) ?? 0, ...extra };
    if (status === 'done' || status === 'failed' || status === 'cancelled') this.progress.delete(jobId);
    this.listeners.emit(event);
  }

  private listenForCancels(): void {
    if (this.subscriber) return;
    const subscriber = this.commands().duplicate();
    subscriber.on('error', (err) => this.log.error({ err }, 'cancel subscriber error'));
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { type, jobId } = JSON.parse(message) as { type: JobType; jobId: string };
        this.workers.get(type)?.cancelJob(jobId, CANCEL_REASON);
      } catch (err) {
        this.log.warn({ err, message }, 'unreadable cancel message');
      }
    });
    subscriber.subscribe(this.cancelChannel()).catch((err: unknown) => this.log.error({ err }, 'cannot subscribe to cancels'));
    this.subscriber = subscriber;
  }

  private async cancelRequested(type: JobType, jobId: string): Promise<boolean> {
    return (await this.commands().exists(this.cancelKey(type, jobId))) === 1;
  }

  private cancelKey(type: JobType, jobId: string): string {
    return `${this.prefix}:continuo:cancel:${type}:${jobId}`;
  }

  private cancelChannel(): string {
    return `${this.prefix}:continuo:cancel`;
  }

  private queue(type: JobType): Queue {
    let queue = this.queues.get(type);
    if (!queue) {
      // The four queues share one connection; workers and QueueEvents need their own (they block).
      queue = new Queue(queueName(type), { connection: this.commands(), prefix: this.prefix });
      queue.on('error', (err) => this.log.error({ err, type }, 'queue error'));
      this.queues.set(type, queue);
    }
    return queue;
  }

  /** Commands outside BullMQ (cancel flags and messages), on the connection the queues share. */
  private commands(): Redis {
    if (!this.redis) {
      this.redis = new Redis(this.options.redisUrl);
      this.redis.on('error', (err) => this.log.error({ err }, 'redis error'));
    }
    return this.redis;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the job queue is closed');
  }
}
