import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../logger.js';
import type { Renderer } from '../render/renderer.js';
import type { Store } from '../store/ports.js';
import type { JobRecord, TrainingSampleRecord } from '../store/records.js';
import { sampleFilename, TrainingSamples } from './training-samples.js';

/** The few store calls the samples make, in memory: a job record and the files put. */
function memoryStore() {
  let job: Partial<JobRecord> = {};
  const files: { filename: string; bytes: number }[] = [];
  const store = {
    jobs: {
      get: async () => job as JobRecord,
      update: async (_id: string, patch: Partial<JobRecord>) => (job = { ...job, ...patch }) as JobRecord,
    },
    files: {
      put: async (data: Uint8Array, meta: { filename: string; contentType: string }) => {
        files.push({ filename: meta.filename, bytes: data.length });
        return { id: `file-${files.length}`, filename: meta.filename, contentType: meta.contentType, bytes: data.length };
      },
    },
  } as unknown as Store;
  return { store, files, samples: () => job.samples ?? [] };
}

/** A renderer that "renders" in a moment (or fails for the MIDI files it is told to). */
function fakeRenderer(failing = new Set<string>()): Renderer {
  return {
    renderAudio: async (midi: Uint8Array) => {
      if (failing.has(new TextDecoder().decode(midi))) throw new Error('no sound bank');
      return { data: new Uint8Array(100), format: 'mp3', contentType: 'audio/mpeg', durationSeconds: 5 };
    },
  } as unknown as Renderer;
}

describe('TrainingSamples', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'continuo-samples-')), 'samples');
    await mkdir(dir);
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  const write = (iteration: number, index: number) => writeFile(join(dir, `iter-${String(iteration).padStart(6, '0')}-${index}.mid`), `sample ${iteration}/${index}`);
  const pairs = (samples: readonly TrainingSampleRecord[]) => samples.map((s) => [s.iteration, s.index, s.audio !== undefined]);

  it('keeps only the iterations before the one reported, each once, with MIDI and audio', async () => {
    const memory = memoryStore();
    const samples = new TrainingSamples({ store: memory.store, renderer: fakeRenderer(new Set(['sample 2/1'])), jobId: 'job', dir, title: 'T', log: logger });
    await write(2, 0);
    await write(2, 1);
    await write(4, 0); // being written while iteration 4 is reported
    await samples.keepBefore(4);
    expect(pairs(memory.samples())).toEqual([[2, 0, true], [2, 1, false]]);
    await samples.keepBefore(5);
    await samples.keepBefore(Infinity);
    expect(pairs(memory.samples())).toEqual([[2, 0, true], [2, 1, false], [4, 0, true]]);
    expect(memory.files.map((f) => f.filename)).toEqual([
      'training-job-iteration-2-1.mid', 'training-job-iteration-2-1.mp3', 'training-job-iteration-2-2.mid', 'training-job-iteration-4-1.mid', 'training-job-iteration-4-1.mp3',
    ]);
    expect(sampleFilename('job', { iteration: 4, index: 0 }, 'midi')).toBe('training-job-iteration-4-1.mid');
  });

  it('leaves alone the samples a run kept before a restart, and stops when told to', async () => {
    const memory = memoryStore();
    const before = new TrainingSamples({ store: memory.store, renderer: fakeRenderer(), jobId: 'job', dir, title: 'T', log: logger });
    await write(2, 0);
    await before.keepBefore(3);
    const kept = memory.samples();
    await write(4, 0);
    const after = new TrainingSamples({ store: memory.store, renderer: fakeRenderer(), jobId: 'job', dir, title: 'T', log: logger, alreadyKept: kept });
    // Calls while a sweep is under way join the next one.
    await Promise.all([after.keepBefore(3), after.keepBefore(5), after.keepBefore(6)]);
    expect(pairs(memory.samples())).toEqual([[2, 0, true], [4, 0, true]]);
    await write(6, 0);
    after.stop();
    await after.keepBefore(Infinity);
    expect(memory.samples()).toHaveLength(2);
  });
});
