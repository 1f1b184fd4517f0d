import { join } from 'node:path';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobEvent, JobQueue } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';
import type { CompositionRecord, JobRecord } from '../store/records.js';
import { compositionTopic } from './composition.service.js';
import type { EventBus } from './event-bus.js';
import { trainingTopic, type TrainingEvent } from './training.service.js';

export interface JobEventRoutes {
  readonly queue: JobQueue;
  readonly store: Store;
  readonly models: ModelRegistry;
  /** Where trained models are written (the data folder's models/). */
  readonly userModelsDir: string;
  readonly compositionEvents: EventBus<CompositionRecord>;
  readonly trainingEvents: EventBus<TrainingEvent>;
  readonly log: Logger;
}

/**
 * Job events reach this process from wherever the job runs (in-process, or a BullMQ worker): training
 * progress goes to its subscribers, a finished model joins the registry (once: the process that
 * trained it has loaded it already), and on BullMQ a composition's new state goes to its subscribers.
 * A job that BullMQ gives up on its own (its worker died more often than it is retried, or it was
 * removed from the queue) has no handler left to say so: its records, still queued or running, are
 * settled here, so that no composition or training job waits forever. Returns the unsubscribe function.
 */
export function routeJobEvents(r: JobEventRoutes): () => void {
  return r.queue.onEvent((event) => {
    // In-process, a composition's own service has published its state already: nothing to read.
    if (event.type === 'share' || (event.type === 'compose' && r.queue.kind !== 'bullmq')) return;
    void (async () => {
      let job = await r.store.jobs.get(event.jobId);
      if (!job) return;
      if (r.queue.kind === 'bullmq' && (event.status === 'failed' || event.status === 'cancelled') && (job.status === 'queued' || job.status === 'running')) {
        job = await settleGivenUp(r, job, event);
        if (!job) return;
      }
      if (event.type === 'train') {
        const progress = (event.detail as { training?: TrainingEvent['progress'] } | undefined)?.training;
        r.trainingEvents.publish(trainingTopic(job.id), { job: { ...job, status: event.status, progress: event.progress }, progress });
        if (event.status === 'done' && typeof event.result?.modelId === 'string') {
          await r.models.addIfChanged(join(r.userModelsDir, event.result.modelId)).catch((err: unknown) => r.log.error({ err }, 'could not load a trained model'));
        }
      }
      if (event.type === 'compose') {
        const record = await r.store.compositions.get(String(job.payload.compositionId));
        if (record) r.compositionEvents.publish(compositionTopic(record.id), record);
      }
    })().catch((err: unknown) => r.log.error({ err }, 'job event could not be passed on'));
  });
}

/** What a job the queue gave up on fails with when the queue's reason is its own, not the handler's. */
const WORKER_LOST = { code: 'UNAVAILABLE', message: 'the worker running this job stopped before it finished, more often than a job is retried; try again' };

/** The records of a job that the queue failed or removed without its handler: they follow the queue. */
async function settleGivenUp(r: JobEventRoutes, job: JobRecord, event: JobEvent): Promise<JobRecord | null> {
  // A handler's own failure carries its code; BullMQ's (a stalled job) arrives without one, as INTERNAL.
  const error = event.error && event.error.code !== 'INTERNAL' ? event.error : WORKER_LOST;
  const status = event.status === 'failed' ? 'failed' : 'cancelled';
  r.log.warn({ job: job.id, type: job.type, status, reason: event.error?.message }, 'the queue gave a job up: its records follow');
  const settled = await r.store.jobs.update(job.id, { status, ...(status === 'failed' ? { error } : {}) });
  if (job.type === 'compose') {
    const id = String(job.payload.compositionId);
    const record = await r.store.compositions.get(id);
    if (record && (record.status === 'queued' || record.status === 'running')) await r.store.compositions.update(id, { status: 'failed', error });
  }
  return settled;
}
