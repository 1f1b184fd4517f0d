import type { JobQueue } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';

/**
 * A composition record is written before its compose job (the job names the record). A process killed
 * between the two leaves a record that says queued with nothing to run it, and job recovery, which
 * looks only at jobs, never sees it. At start-up, every composition still queued or running without a
 * pending compose job gets a job and is queued: a second run finds the job and does nothing (the queues
 * also ignore a second enqueue of one id). Runs before the job records are recovered: on the in-process
 * queue that recovery enqueues the new jobs with the others (enqueuing here first would let one finish
 * before that recovery marks it queued again); BullMQ keeps its jobs in Redis, so they are enqueued here.
 */
export async function recoverOrphanCompositions(store: Store, queue: JobQueue, log: Logger): Promise<number> {
  const unfinished = await store.compositions.listByStatus(['queued', 'running']);
  if (unfinished.length === 0) return 0;
  const pending = await store.jobs.listByStatus(['queued', 'running']);
  const covered = new Set(pending.filter((job) => job.type === 'compose').map((job) => String(job.payload.compositionId)));
  let recovered = 0;
  for (const record of unfinished) {
    if (covered.has(record.id)) continue;
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
