import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';

export interface CleanupPolicy {
  /** Finished jobs are kept this long after their last change. */
  readonly jobRetentionDays: number;
  /** The quota's period: compose jobs of it are kept whatever the retention, since the quota counts them. */
  readonly quotaPeriodDays: number;
  /** A file no record names is removed once it is this old (a younger one may belong to a job still writing). */
  readonly orphanGraceMs?: number;
}

const DAY_MS = 86_400_000;
/** How often a long-running server cleans up again. */
export const CLEANUP_INTERVAL_MS = DAY_MS;

/**
 * Removes what nothing needs any more: files that no composition or training job names (a crash
 * between a file's write and its record's, a render whose composition was deleted meanwhile, the
 * samples of a job past its retention), and finished job records past the retention — but not the
 * compose jobs of the quota period, which the quota counts.
 */
export async function cleanUp(store: Store, policy: CleanupPolicy, log: Logger, now = Date.now()): Promise<{ files: number; jobs: number }> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const candidates = await store.files.listIdsBefore(iso(now - (policy.orphanGraceMs ?? 3_600_000)));
  let files = 0;
  if (candidates.length) {
    const named = new Set<string>();
    const every = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
    for (const record of await store.compositions.listByStatus(every)) {
      for (const file of record.files) named.add(file.fileId);
    }
    // A training job's sample compositions live as long as the job's record.
    for (const job of await store.jobs.listByStatus(every)) {
      for (const sample of job.samples ?? []) for (const file of [sample.midi, sample.audio]) if (file) named.add(file.fileId);
    }
    for (const id of candidates) if (!named.has(id) && (await store.files.delete(id))) files += 1;
  }
  const jobs = await store.jobs.deleteFinishedBefore(iso(now - policy.jobRetentionDays * DAY_MS), iso(now - policy.quotaPeriodDays * DAY_MS));
  if (files || jobs) log.info({ files, jobs }, 'cleaned up files no record names and old finished jobs');
  return { files, jobs };
}
