import type { JobHandler } from '../jobs/ports.js';
import type { TrainingService } from './training.service.js';

/** Training takes a whole core (or the GPU): one run at a time per process. */
export const TRAIN_CONCURRENCY = 1;

/**
 * The training job: the run happens in a worker thread of its own, and the model it makes joins this
 * process's registry (and from there its inference threads) before the job is done.
 */
export function trainJob(training: TrainingService): JobHandler {
  return (job) => training.run(job);
}
