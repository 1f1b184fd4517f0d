import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../jobs/in-process-queue.js';
import type { JobEvent } from '../jobs/ports.js';
import { logger } from '../logger.js';
import { createEmbeddedStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import type { JobStatus } from '../store/records.js';
import { JobRunner } from './job-runner.js';

describe('JobRunner', () => {
  let dir: string;
  let store: Store;
  let queue: InProcessJobQueue;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-job-runner-'));
    store = await createEmbeddedStore(dir);
    queue = new InProcessJobQueue({ log: logger });
  });

  afterEach(async () => {
    await queue.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('does not run again a job whose record is done (its completion was lost) or cancelled (refused when it was queued)', async () => {
    const job = (status: JobStatus, result?: Record<string, unknown>) =>
      store.jobs.create({ type: 'share', ownerId: 'k1', status, progress: 0, payload: {}, attempts: 1, ...(result ? { result } : {}) });
    const done = await job('done', { made: 'before' });
    const cancelled = await job('cancelled');
    const queued = await job('queued');
    const ran: string[] = [];
    new JobRunner(queue, store.jobs, logger).register('share', async (context) => {
      ran.push(context.jobId);
      return { made: 'now' };
    });
    const events: JobEvent[] = [];
    const settled = new Promise<void>((resolve) => queue.onEvent((event) => event.status !== 'running' && events.push(event) === 3 && resolve()));
    for (const { id } of [done, cancelled, queued]) await queue.enqueue('share', id, {});
    await settled;
    expect(ran).toEqual([queued.id]);
    expect(events.find((e) => e.jobId === done.id)).toMatchObject({ status: 'done', result: { made: 'before' } });
    expect(await store.jobs.get(done.id)).toMatchObject({ status: 'done', result: { made: 'before' }, attempts: 1 });
    expect((await store.jobs.get(cancelled.id))?.status).toBe('cancelled');
    expect(await store.jobs.get(queued.id)).toMatchObject({ status: 'done', result: { made: 'now' } });
  });
});
