import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../jobs/in-process-queue.js';
import { logger } from '../logger.js';
import { createEmbeddedStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import { ORPHAN_GRACE_MS, recoverOrphanCompositions } from './composition-recovery.js';

describe('recoverOrphanCompositions', () => {
  let dir: string;
  let store: Store;
  const queue = new InProcessJobQueue({ log: logger });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-recovery-'));
    store = await createEmbeddedStore(dir);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(() => queue.close());

  const orphan = () =>
    store.compositions.create({
      ownerId: 'k1', status: 'queued', modelId: 'tiny', seed: 1, variations: 1, keepMelody: true, tempo: 100,
      input: { kind: 'sample', summary: 'twinkle' }, melody: {}, bars: 4, formats: ['midi'], files: [],
    });
  const jobsFor = async (id: string) => (await store.jobs.listByStatus(['queued', 'running'])).filter((job) => job.payload.compositionId === id);

  it('gives every composition without a job one at once where the store is this process’s own', async () => {
    const record = await orphan();
    expect(await recoverOrphanCompositions(store, queue, logger)).toBe(1);
    expect(await jobsFor(record.id)).toHaveLength(1);
    expect(await recoverOrphanCompositions(store, queue, logger)).toBe(0);
  });

  it('on a shared database, leaves alone a composition young enough that its server may still be writing its job', async () => {
    const shared: Store = { ...store, kind: 'postgresql' };
    const record = await orphan();
    expect(await recoverOrphanCompositions(shared, queue, logger)).toBe(0);
    expect(await jobsFor(record.id)).toEqual([]);
    expect(await recoverOrphanCompositions(shared, queue, logger, Date.now() + ORPHAN_GRACE_MS + 1000)).toBe(1);
    expect(await jobsFor(record.id)).toHaveLength(1);
  });
});
