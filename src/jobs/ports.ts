import type { JobStatus, JobType } from '../store/records.js';

/** What a job handler gets: its data, a way to report progress, and a signal for cancellation. */
export interface JobContext<D = Record<string, unknown>> {
  readonly jobId: string;
  readonly type: JobType;
  readonly data: D;
  /** 1 for the first try. */
  readonly attempt: number;
  /** 0…1, with optional detail (e.g. training losses) passed on to subscribers. */
  updateProgress(progress: number, detail?: Record<string, unknown>): Promise<void>;
  readonly signal: AbortSignal;
}

export type JobHandler<D = Record<string, unknown>> = (job: JobContext<D>) => Promise<Record<string, unknown> | void>;

export interface JobEvent {
  readonly jobId: string;
  readonly type: JobType;
  readonly status: JobStatus;
  readonly progress: number;
  readonly detail?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: string; message: string };
}

export interface EnqueueOptions {
  /** Tries before the job is reported failed (default 3 for BullMQ, 1 in-process). */
  readonly attempts?: number;
}

export interface ProcessOptions {
  /** Handlers of the type run at once in this process (default: job-types.ts). */
  readonly concurrency?: number;
  /**
   * The handler keeps a checkpoint and resumes from it (training): shutdown stops it at once, handing
   * it back to the queue, instead of letting it run through the grace period that other jobs get.
   */
  readonly stopAtShutdown?: boolean;
}

/**
 * A queue of jobs by type. The job's record lives in the store (src/store); the queue only moves
 * job ids and data to handlers, retries, and reports events. In-process by default; BullMQ on Redis
 * when REDIS_URL is set, with handlers running in `continuo worker` processes.
 */
export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  /** Runs jobs of a type in this process (the server in-process, or a worker). */
  process<D extends Record<string, unknown>>(type: JobType, handler: JobHandler<D>, options?: ProcessOptions): void;
  enqueue(type: JobType, jobId: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
  /** Asks a queued or running job to stop; true if it was found. */
  cancel(type: JobType, jobId: string): Promise<boolean>;
  /** Events of every job, from whichever process runs it. Returns an unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  /** Whether the queue's backing service answers (for /readyz); absent where there is none. */
  ping?(): Promise<boolean>;
  /** Jobs waiting or running, per type (for /metrics). */
  depth(): Promise<Record<JobType, number>>;
  /** Finishes running jobs (or hands them back to the queue) and closes connections. */
  close(): Promise<void>;
}
