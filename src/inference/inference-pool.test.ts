import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeBudget } from '../../test/helpers/timing.js';
import { shippedModelsDir } from '../config/paths.js';
import { logger } from '../logger.js';
import type { Melody } from '../music/melody.js';
import { sampleMelody } from '../music/samples.js';
import { initBackend } from './backend.js';
import { MainThreadInference } from './inference.js';
import { InferencePool } from './inference-pool.js';
import { ModelRegistry } from './registry.js';

/** The longest gap, in ms, between ticks of a 5 ms timer while `work` runs (and one tick after it). */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

/** 32 bars: the longest melody a request may send. */
const long: Melody = (() => {
  const ode = sampleMelody('ode-to-joy');
  const bars = 16 * 8;
  return { ...ode, notes: [0, 1, 2, 3].flatMap((k) => ode.notes.map((n) => ({ ...n, start: n.start + k * bars }))) };
})();

describe('InferencePool', () => {
  let root: string;
  let registry: ModelRegistry;
  let pool: InferencePool;
  let here: MainThreadInference;

  beforeAll(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-pool-'));
    await cp(join(shippedModelsDir(), 'chorale'), join(root, 'chorale'), { recursive: true });
    registry = await ModelRegistry.load(root);
    pool = new InferencePool(registry, { threads: 2, batchWindows: 16, backend: 'wasm', log: logger, logLevel: 'silent' });
    here = new MainThreadInference(registry);
  });

  afterAll(async () => {
    await pool?.close();
    registry?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('composes in its threads what the event loop composes for the same seed, alone or batched with others', async () => {
    const melody = sampleMelody('ode-to-joy');
    const seeds = [11, 12, 13, 14, 15, 16];
    // Sent together: the threads take them in batches of up to 16 windows (4 of these 4-window melodies).
    const together = await Promise.all(seeds.map((seed) => pool.compose('chorale', melody, { seed, variations: seed === 13 ? 2 : 1 })));
    for (const [i, seed] of seeds.entries()) {
      const alone = await here.compose('chorale', melody, { seed, variations: seed === 13 ? 2 : 1 });
      expect(together[i].midi.map((m) => Buffer.from(m).toString('base64'))).toEqual(alone.midi.map((m) => Buffer.from(m).toString('base64')));
      expect({ ...together[i], midi: [] }).toEqual({ ...alone, midi: [] });
    }
    expect(together[2].midi).toHaveLength(2);
  });

  it('keeps the event loop free while it composes the longest melodies, which block it on the main thread', async () => {
    await pool.compose('chorale', long, { seed: 1 }); // both threads have started
    const options = { seed: 2, variations: 8 };
    const inPool = await longestBlock(() => Promise.all([pool.compose('chorale', long, options), pool.compose('chorale', long, { ...options, seed: 3 })]));
    const onLoop = await longestBlock(() => here.compose('chorale', long, options));
    expect(inPool, `held ${inPool} ms in the pool, ${onLoop} ms on the event loop`).toBeLessThan(timeBudget(50));
    expect(onLoop).toBeGreaterThan(inPool);
  });

  it('refuses bad input in a thread with the code and message of the event loop', async () => {
    await expect(pool.compose('chorale', sampleMelody('ode-to-joy'), { variations: 9 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/variations must be a whole number from 1 to 8/) });
    const waltz: Melody = { ...sampleMelody('ode-to-joy'), timeSignature: { numerator: 3, denominator: 4 } };
    await expect(pool.compose('chorale', waltz, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/composes in 4\/4/) });
    await expect(pool.compose('nope', waltz, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pool.readMelody({ notation: `${'C4 D4 E4 F4 | '.repeat(200)}H4` })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/'H4'/) });
  });

  it('leaves no tensor behind in its threads', async () => {
    await Promise.all([1, 2, 3].map((seed) => pool.compose('chorale', long, { seed, variations: 2 })));
    const before = await pool.tensorCounts();
    await Promise.all([4, 5, 6, 7].map((seed) => pool.compose('chorale', long, { seed, variations: 3 })));
    await expect(pool.compose('chorale', sampleMelody('ode-to-joy'), { temperature: 5 })).rejects.toThrow(/temperature/);
    expect(await pool.tensorCounts()).toEqual(before);
    expect(before).toHaveLength(2);
  });

  it('composes with a model folder reloaded in the registry (retrained, recalibrated) from the next composition on', async () => {
    const melody = sampleMelody('ode-to-joy');
    const before = await pool.compose('chorale', melody, { seed: 21 });
    // Weights changed on disk, as a training run writes them: each one halved.
    const file = join(root, 'chorale', 'model.weights.bin');
    const bytes = await readFile(file);
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).map((w) => w * 0.5);
    await writeFile(file, new Uint8Array(weights.buffer));
    await writeFile(join(root, 'chorale', 'model.json'), await readFile(join(root, 'chorale', 'model.json'))); // written again with them
    expect(await registry.rescan()).toEqual(['chorale']);
    const after = await Promise.all([21, 21].map((seed) => pool.compose('chorale', melody, { seed })));
    const expected = await here.compose('chorale', melody, { seed: 21 });
    expect(after[0].midi).not.toEqual(before.midi);
    for (const result of after) expect(result.midi).toEqual(expected.midi);
  });

  it('replaces a thread that dies; the work it had fails with UNAVAILABLE and later work is composed', async () => {
    const threads = (pool as unknown as { pool: Set<{ worker: { terminate(): Promise<number> } }> }).pool;
    const victim = [...threads][0];
    const lost = Promise.all([1, 2, 3, 4].map((seed) => pool.compose('chorale', long, { seed, variations: 4 }).then(() => 'done', (e: { code?: string }) => e.code)));
    await new Promise((r) => setTimeout(r, 20));
    await victim.worker.terminate();
    expect(await lost).toEqual(expect.arrayContaining(['done', 'UNAVAILABLE']));
    expect((await lost).every((r) => r === 'done' || r === 'UNAVAILABLE')).toBe(true);
    await expect(pool.compose('chorale', sampleMelody('ode-to-joy'), { seed: 1 })).resolves.toMatchObject({ modelId: 'chorale' });
    expect(threads.size).toBe(2);
  });
});
