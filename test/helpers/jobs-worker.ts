/**
 * A `continuo worker`-like child process for test/jobs.bullmq.test.ts: runs 'share' jobs from the
 * BullMQ queues under JOBS_PREFIX with short stall settings (CANCEL_POLL_MS and SHUTDOWN_GRACE_MS
 * are set by the test). Its handler reports progress and then waits
 * until it is cancelled (or killed). It tells the parent what happens over the IPC channel.
 */
import { BullMQJobQueue } from '../../src/jobs/bullmq-queue.js';
import { JobAbortedError } from '../../src/jobs/job-failure.js';
import { closeOnSignals } from '../../src/jobs/shutdown.js';
import { logger } from '../../src/logger.js';

logger.level = process.env.LOG_LEVEL ?? 'silent';
const tell = (message: Record<string, unknown>) => process.send?.(message);

const queue = new BullMQJobQueue({
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix: process.env.JOBS_PREFIX,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
  cancelPollMs: Number(process.env.CANCEL_POLL_MS ?? 200),
  shutdownGraceMs: Number(process.env.SHUTDOWN_GRACE_MS ?? 300),
});

queue.process(
  'share',
  async (job) => {
    tell({ kind: 'started', jobId: job.jobId, attempt: job.attempt });
    await job.updateProgress(0.5, { stage: 'child', pid: process.pid });
    return new Promise((_, reject) => {
      job.signal.addEventListener(
        'abort',
        () => {
          const reason = job.signal.reason as unknown;
          tell({ kind: 'aborted', jobId: job.jobId, why: reason instanceof JobAbortedError ? reason.why : String(reason) });
          reject(reason);
        },
        { once: true },
      );
    });
  },
  { concurrency: 1 },
);

closeOnSignals(queue, logger);
tell({ kind: 'ready' });
