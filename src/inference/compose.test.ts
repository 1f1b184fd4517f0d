import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untrainedModel } from '../../test/helpers/tiny-model.js';
import type { Melody } from '../music/melody.js';
import { compose, composeTogether, octaveShiftFor } from './compose.js';
import type { LoadedModel } from './registry.js';

const scale = (bars: number): Melody => ({
  notes: Array.from({ length: bars * 4 }, (_, i) => ({ pitch: 60 + [0, 2, 4, 5, 7, 9, 11, 12][i % 8], start: i * 4, duration: 4, velocity: 90 })),
  tempo: 110,
  timeSignature: { numerator: 4, denominator: 4 },
});

describe('compose', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await untrainedModel();
  });
  afterAll(() => model.generator.dispose());

  it('gives the same arrangement for the same seed and another for another seed', async () => {
    const a = await compose(model, scale(4), { seed: 7, threshold: 0.05 });
    const b = await compose(model, scale(4), { seed: 7, threshold: 0.05 });
    const c = await compose(model, scale(4), { seed: 8, threshold: 0.05 });
    expect(a.arrangements).toEqual(b.arrangements);
    expect(a.arrangements[0].tracks.slice(1)).not.toEqual(c.arrangements[0].tracks.slice(1));
    expect(a.seed).toBe(7);
  });

  it('splits long melodies into windows, keeps the melody as the lead and the tempo', async () => {
    const melody = scale(7);
    const result = await compose(model, melody, { seed: 1, threshold: -0.2 });
    expect(result.windows).toBe(4); // 7 bars → 112 steps → 4 windows of 32
    const [arrangement] = result.arrangements;
    expect(arrangement.steps).toBe(112);
    expect(arrangement.tempo).toBe(110);
    expect(arrangement.tracks.map((t) => t.name)).toEqual(['Lead', 'A', 'B', 'C']);
    expect(arrangement.tracks[0].notes).toEqual(melody.notes);
    for (const track of arrangement.tracks) for (const n of track.notes) expect(n.start + n.duration).toBeLessThanOrEqual(112);
  });

  it('decodes monophonic tracks one note at a time', async () => {
    const [arrangement] = (await compose(model, scale(2), { seed: 3, threshold: -1 })).arrangements;
    const overlapping = (notes: readonly { start: number; duration: number }[]) =>
      notes.some((a, i) => notes.some((b, j) => i !== j && a.start < b.start + b.duration && b.start < a.start + a.duration));
    expect(overlapping(arrangement.tracks[1].notes)).toBe(false);
    expect(overlapping(arrangement.tracks[2].notes)).toBe(true); // polyphonic track, threshold −1: every cell on
  });

  it('makes several variations in one call, each different', async () => {
    const result = await compose(model, scale(2), { seed: 5, variations: 3, threshold: 0.05 });
    expect(result.arrangements).toHaveLength(3);
    // Any accompaniment part may carry the difference (a random-weight network is weakly driven by its noise).
    const parts = (k: number) => result.arrangements[k].tracks.slice(1).map((t) => t.notes);
    expect(parts(0)).not.toEqual(parts(1));
    expect(parts(1)).not.toEqual(parts(2));
  });

  it('can let the generator write the lead line', async () => {
    const melody = scale(2);
    const [kept] = (await compose(model, melody, { seed: 2, keepMelody: true })).arrangements;
    const [own] = (await compose(model, melody, { seed: 2, keepMelody: false, threshold: -0.5 })).arrangements;
    expect(kept.tracks[0].notes).toEqual(melody.notes);
    expect(own.tracks[0].notes).not.toEqual(melody.notes);
  });

  it('moves a melody by octaves into the model range and the output back', async () => {
    expect(octaveShiftFor(scale(1).notes, { low: 60, high: 81 })).toBe(0);
    expect(octaveShiftFor(scale(1).notes.map((n) => ({ ...n, pitch: n.pitch - 24 })), { low: 60, high: 81 })).toBe(2);
    const low: Melody = { ...scale(2), notes: scale(2).notes.map((n) => ({ ...n, pitch: n.pitch - 24 })) };
    const result = await compose(model, low, { seed: 4 });
    expect(result.octaveShift).toBe(2);
    expect(result.arrangements[0].tracks[0].notes[0].pitch).toBe(36);
  });

  it('leaks no tensors', async () => {
    await compose(model, scale(8), { seed: 9 });
    const before = tf.memory().numTensors;
    await compose(model, scale(8), { seed: 10, variations: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('composes several requests in one pass as each alone, a refused one failing alone', async () => {
    const requests = [
      { melody: scale(4), options: { seed: 31, threshold: 0.05 } },
      { melody: scale(2), options: { seed: 32, variations: 3, threshold: 0.05 } },
      { melody: scale(2), options: { variations: 9 } },
      { melody: scale(7), options: { seed: 33, threshold: -0.2, temperature: 0.5 } },
    ];
    const before = tf.memory().numTensors;
    const together = await composeTogether(model, requests);
    expect(tf.memory().numTensors).toBe(before);
    expect(together.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    for (const i of [0, 1, 3]) {
      const alone = await compose(model, requests[i].melody, requests[i].options);
      expect((together[i] as PromiseFulfilledResult<unknown>).value).toEqual(alone);
    }
    expect(String((together[2] as PromiseRejectedResult).reason)).toMatch(/variations must be a whole number from 1 to 8/);
  });

  it('refuses out-of-range options and unsupported meters, naming the field', async () => {
    await expect(compose(model, scale(2), { variations: 9 })).rejects.toThrow(/variations must be a whole number from 1 to 8, got 9/);
    await expect(compose(model, scale(2), { threshold: 2 })).rejects.toThrow(/threshold must be from -1 to 1/);
    await expect(compose(model, scale(2), { seed: -1 })).rejects.toThrow(/seed/);
    await expect(compose(model, scale(2), { tempo: 1000 })).rejects.toThrow(/tempo/);
    const waltz: Melody = { ...scale(2), timeSignature: { numerator: 3, denominator: 4 } };
    await expect(compose(model, waltz)).rejects.toThrow(/composes in 4\/4 .* this melody is in 3\/4/);
    await expect(compose(model, { ...scale(1), notes: [] })).rejects.toThrow(/no notes/);
    const twoFour: Melody = { ...scale(2), timeSignature: { numerator: 2, denominator: 4 } };
    await expect(compose(model, twoFour, { seed: 1 })).resolves.toMatchObject({ windows: 1 });
  });
});
