import type { Logger } from '../logger.js';
import { BullMQJobQueue } from './bullmq-queue.js';
import { InProcessJobQueue } from './in-process-queue.js';
import type { JobQueue } from './ports.js';

export type { EnqueueOptions, JobContext, JobEvent, JobHandler, JobQueue } from './ports.js';
export { BullMQJobQueue, queueName, type BullMQQueueOptions } from './bullmq-queue.js';
export { InProcessJobQueue, type InProcessQueueOptions } from './in-process-queue.js';
export { JobAbortedError, toJobFailure, type JobFailure } from './job-failure.js';
export { DEFAULT_CONCURRENCY, JOB_TYPES } from './job-types.js';
export { closeOnSignals } from './shutdown.js';

/** BullMQ on Redis when a Redis URL is configured (handlers in `continuo worker` processes), else in-process. */
export function createJobQueue(config: { redisUrl?: string; prefix?: string; log?: Logger }): JobQueue {
  return config.redisUrl
    ? new BullMQJobQueue({ redisUrl: config.redisUrl, prefix: config.prefix, log: config.log })
    : new InProcessJobQueue({ log: config.log });
}
