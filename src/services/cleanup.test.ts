import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logger } from '../logger.js';
import { createStore } from '../store/index.js';
import { cleanUp } from './cleanup.js';

describe('clean-up of training samples', () => {
  it("keeps a training job's sample files while its record lives, and lets them go with it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'continuo-cleanup-'));
    const store = await createStore({ dataDir: dir });
    try {
      const file = (name: string) => store.files.put(new Uint8Array([1]), { filename: name, contentType: 'audio/midi' });
      const [midi, audio] = [await file('s.mid'), await file('s.mp3')];
      const stored = (id: string, format: string) => ({ fileId: id, format, contentType: 'audio/midi', bytes: 1 });
      const job = await store.jobs.create({
        type: 'train', ownerId: 'o', status: 'done', progress: 1, payload: {}, attempts: 1,
        samples: [{ iteration: 10, index: 0, midi: stored(midi.id, 'midi'), audio: stored(audio.id, 'mp3') }],
      });
      const day = 86_400_000;
      const policy = { jobRetentionDays: 30, quotaPeriodDays: 60 };
      expect(await cleanUp(store, policy, logger, Date.now() + 10 * day)).toEqual({ files: 0, jobs: 0 });
      // Past the retention the job goes, and at the next clean-up its samples follow.
      expect(await cleanUp(store, policy, logger, Date.now() + 40 * day)).toEqual({ files: 0, jobs: 1 });
      expect(await store.jobs.get(job.id)).toBeNull();
      expect(await cleanUp(store, policy, logger, Date.now() + 41 * day)).toEqual({ files: 2, jobs: 0 });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
