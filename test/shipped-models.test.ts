import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsDir } from '../src/config/paths.js';
import { compose } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { pieceMetrics, summarize } from '../src/music/metrics.js';
import { SAMPLE_MELODIES, sampleMelody } from '../src/music/samples.js';

const shipped = existsSync(join(modelsDir(), 'chorale', 'card.json'));

describe.skipIf(!shipped)('the shipped chorale model', () => {
  let registry: ModelRegistry;
  beforeAll(async () => {
    registry = await ModelRegistry.load(modelsDir());
  });
  afterAll(() => registry.dispose());

  it('has a card with its training and metrics against real held-out chorales', () => {
    const { card } = registry.get('chorale');
    expect(card.training.dataset).toMatch(/JSB chorales/);
    expect(card.training.iterations).toBeGreaterThanOrEqual(500);
    expect(card.training.hyperParameters).toMatchObject({ updateRatio: 5 });
    const metrics = card.metrics as { evaluatedOn: string; generated: { tracks: unknown[] }; real: { tracks: unknown[] } };
    expect(metrics.evaluatedOn).toMatch(/test split/);
    expect(metrics.generated.tracks).toHaveLength(4);
    expect(metrics.real.tracks).toHaveLength(4);
  });

  it('accompanies every sample melody with four separate, in-key, well-ordered voices', async () => {
    const model = registry.get('chorale');
    const pieces = [];
    for (const sample of SAMPLE_MELODIES) {
      const melody = sampleMelody(sample.id);
      const [arrangement] = (await compose(model, melody, { seed: 11 })).arrangements;
      const bars = arrangement.steps / 16;
      pieces.push(pieceMetrics(arrangement.tracks.map((t) => t.notes), bars, 16, { keyTrack: 0 }));
      const mean = (k: number) => arrangement.tracks[k].notes.reduce((s, n) => s + n.pitch, 0) / arrangement.tracks[k].notes.length;
      // soprano above alto above tenor above bass, on average
      expect([mean(0) > mean(1), mean(1) > mean(2), mean(2) > mean(3)], sample.id).toEqual([true, true, true]);
    }
    const summary = summarize(pieces);
    for (const voice of summary.tracks.slice(1)) {
      expect(voice.emptyBarRate).toBeLessThan(0.15);
      expect(voice.polyphonyRate).toBe(0);
      expect(voice.inScaleRatio).toBeGreaterThan(0.7);
      expect(voice.qualifiedNoteRate).toBeGreaterThan(0.4);
    }
  });

  it('composes 8 bars without leaking tensors', async () => {
    const model = registry.get('chorale');
    await compose(model, sampleMelody('ode-to-joy'), { seed: 1 });
    const before = tf.memory().numTensors;
    await compose(model, sampleMelody('ode-to-joy'), { seed: 2, variations: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
