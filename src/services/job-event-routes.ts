import { join } from 'node:path';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobQueue } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';
import type { CompositionRecord } from '../store/records.js';
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
 * Returns the unsubscribe function.
 */
export function routeJobEvents(r: JobEventRoutes): () => void {
  return r.queue.onEvent((event) => {
    // In-process, a composition's own service has published its state already: nothing to read.
    if (event.type === 'share' || (event.type === 'compose' && r.queue.kind !== 'bullmq')) return;
    void (async () => {
      const job = await r.store.jobs.get(event.jobId);
      if (!job) return;
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
