import type { JobQueue } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';

/**
 * How old a composition without a job must be before another process takes it for an orphan, where
 * servers share the database: a server writes the record and then its job a moment later, and a
 * worker that starts in between must not give that composition a second job (two runs, two job
 * records, the quota charged twice).
 */
export const ORPHAN_GRACE_MS = 60_000;

/**
 * A composition record is written before its compose job (the job names the record). A process killed
 * between the two leaves a record that says queued with nothing to run it, and job recovery, which
 * looks only at jobs, never sees it. At start-up, every composition still queued or running without a
 * pending compose job gets a job and is queued: a second run finds the job and does nothing (the queues
 * also ignore a second enqueue of one id). Runs before the job records are recovered: on the in-process
 * queue that recovery enqueues the new jobs with the others (enqueuing here first would let one finish
 * before that recovery marks it queued again); BullMQ keeps its jobs in Redis, so they are enqueued here.
 *
 * The embedded store belongs to this process alone, so every such record is an orphan. On a shared
 * database other processes are taking requests meanwhile: only records older than ORPHAN_GRACE_MS
 * count, and the jobs are listed before the compositions, so that a job written after that listing
 * belongs to a record too young to be taken.
 */
export async function recoverOrphanCompositions(store: Store, queue: JobQueue, log: Logger, now = Date.now()): Promise<number> {
  const pending = await store.jobs.listByStatus(['queued', 'running']);
  const unfinished = await store.compositions.listByStatus(['queued', 'running']);
  if (unfinished.length === 0) return 0;
  const covered = new Set(pending.filter((job) => job.type === 'compose').map((job) => String(job.payload.compositionId)));
  const madeBefore = store.kind === 'embedded' ? Infinity : now - ORPHAN_GRACE_MS;
  let recovered = 0;
  for (const record of unfinished) {
    if (covered.has(record.id) || Date.parse(record.createdAt) >= madeBefore) continue;
    const job = await store.jobs.create({
      type: 'compose', ownerId: record.ownerId, status: 'queued', progress: 0, payload: { compositionId: record.id }, attempts: 0,
    });
    await store.compositions.update(record.id, { status: 'queued' });
    if (queue.kind !== 'in-process') await queue.enqueue('compose', job.id, { compositionId: record.id });
    recovered += 1;
  }
  if (recovered) log.warn({ compositions: recovered }, 'queued compositions that a crash had left without a job');
  return recovered;
}
