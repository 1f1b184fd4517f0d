import type { Inference } from '../inference/inference.js';
import type { JobRunner } from './job-runner.js';
import { composeJob, type ComposeJobDeps } from './compose.job.js';
import { shareJob } from './share.job.js';
import { TRAIN_CONCURRENCY, trainJob } from './train.job.js';
import type { TrainingService } from './training.service.js';

/**
 * Every job type's handler, registered on a process that runs jobs: the server on its in-process
 * queue, or a `continuo worker` on BullMQ. Compose jobs run as many at once as the inference pool
 * can batch.
 */
export function registerJobHandlers(runner: JobRunner, deps: ComposeJobDeps & { readonly training: TrainingService; readonly inference: Inference }): void {
  runner.register('compose', composeJob(deps), { concurrency: deps.inference.concurrency });
  // A run checkpoints when it stops and resumes from there: a shutdown need not wait for it.
  runner.register('train', trainJob(deps.training), { concurrency: TRAIN_CONCURRENCY, stopAtShutdown: true });
  runner.register('share', shareJob(deps.shares));
}
