import type { Logger } from '../logger.js';
import type { JobContext, JobHandler, JobQueue, ProcessOptions } from '../jobs/ports.js';
import { abortWhy, toJobFailure } from '../jobs/job-failure.js';
import type { JobRepository } from '../store/ports.js';
import type { JobType } from '../store/records.js';

/**
 * Runs job handlers with book-keeping: the job's record follows it (running, progress, done, failed,
 * cancelled) whichever process runs it.
 */
export class JobRunner {
  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: JobRepository,
    private readonly log: Logger,
  ) {}

  register<D extends Record<string, unknown>>(type: JobType, handler: JobHandler<D>, options: ProcessOptions = {}): void {
    this.queue.process<D>(
      type,
      async (job: JobContext<D>) => {
        const log = this.log.child({ job: job.jobId, type });
        // Delivered again after it finished (its completion reached the store but not the queue), or
        // given up before it ran (refused when it was queued, or cancelled): it does not run again.
        const record = await this.jobs.get(job.jobId);
        if (record?.status === 'done' || record?.status === 'cancelled') {
          log.info({ status: record.status, attempt: job.attempt }, 'job already settled: not run again');
          return record.result ?? {};
        }
        await this.jobs.update(job.jobId, { status: 'running', attempts: job.attempt });
        const tracked: JobContext<D> = {
          ...job,
          data: job.data,
          updateProgress: async (progress, detail) => {
            await this.jobs.update(job.jobId, { progress });
            await job.updateProgress(progress, detail);
          },
        };
        try {
          const result = (await handler(tracked)) ?? {};
          // Finished even though the process is closing: done all the same.
          const cancelled = abortWhy(job.signal) === 'cancelled';
          await this.jobs.update(job.jobId, { status: cancelled ? 'cancelled' : 'done', progress: 1, result });
          return result;
        } catch (error) {
          const why = abortWhy(job.signal);
          if (why !== undefined) {
            // Handed back at shutdown, the record says queued: the next start (in-process) or another
            // worker (BullMQ) runs it again, and a training run resumes from its checkpoint.
            if (why === 'shutdown') log.info({ attempt: job.attempt }, 'job handed back at shutdown');
            await this.jobs.update(job.jobId, { status: why === 'shutdown' ? 'queued' : 'cancelled' });
            throw error;
          }
          const { code, message } = toJobFailure(error, type);
          log.error({ err: error, attempt: job.attempt }, 'job failed');
          await this.jobs.update(job.jobId, { status: 'failed', error: { code, message } });
          throw error;
        }
      },
      options,
    );
  }

  /**
   * After a restart of an in-process queue, jobs that were queued or running are queued again; their
   * handlers are idempotent per record (a composition is made again from its stored melody).
   */
  async recover(): Promise<number> {
    if (this.queue.kind !== 'in-process') return 0;
    const pending = await this.jobs.listByStatus(['queued', 'running']);
    for (const job of pending) {
      await this.jobs.update(job.id, { status: 'queued' });
      await this.queue.enqueue(job.type, job.id, job.payload);
    }
    if (pending.length) this.log.info({ jobs: pending.length }, 'queued again the jobs a restart interrupted');
    return pending.length;
  }
}
