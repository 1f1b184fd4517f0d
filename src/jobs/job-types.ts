import type { JobType } from '../store/records.js';

export const JOB_TYPES: readonly JobType[] = ['compose', 'share', 'train'];

/** Handlers run at once per process unless `process(…, { concurrency })` says otherwise; training takes a whole CPU/GPU. */
export const DEFAULT_CONCURRENCY: Readonly<Record<JobType, number>> = { compose: 2, share: 2, train: 1 };

export function zeroCounts(): Record<JobType, number> {
  return { compose: 0, share: 0, train: 0 };
}
