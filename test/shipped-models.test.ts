import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedModelsDir } from '../src/config/paths.js';
import { compose, meterFits } from '../src/inference/compose.js';
import { layersModelBytes } from '../src/inference/model-files.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { chordPitchClassSet, chordSymbol } from '../src/music/chord.js';
import { pieceMetrics, summarize } from '../src/music/metrics.js';
import { stepsPerBar } from '../src/music/melody.js';
import { parseNotation } from '../src/music/notation.js';
import { SAMPLE_MELODIES, sampleMelody } from '../src/music/samples.js';

const WASHERWOMAN = 'time=6/8 tempo=110 G4/8 | B4 G4 G4 D4 G4 G4 | B4 G4 B4 D5 C5 B4 | C5 A4 A4 E4 A4 A4 | C5 A4 C5 E5 D5 C5 | B4 G4 G4 D4 G4 G4 | B4 G4 B4 D5 C5 B4 | C5 B4 C5 A4 D5 C5 | B4 G4 G4 G4/4. |]';

const shipped = existsSync(shippedModelsDir()) ? readdirSync(shippedModelsDir()).filter((id) => existsSync(join(shippedModelsDir(), id, 'card.json'))).sort() : [];

describe.skipIf(shipped.length === 0)('the shipped models', () => {
  let registry: ModelRegistry;
  beforeAll(async () => {
    registry = await ModelRegistry.load(shippedModelsDir());
  });
  afterAll(() => registry.dispose());

  it('are the genre models the data supports, and none without data', () => {
    expect(shipped).toEqual(expect.arrayContaining(['chorale']));
    for (const id of shipped) expect(['chorale', 'pop', 'jazz', 'strings', 'folk', 'folk-triple']).toContain(id);
  });

  it.each(shipped)('%s: a card with its data, training, charts and metrics against real held-out music', async (id) => {
    const { card, dir } = registry.get(id);
    expect(card.training.dataset.length).toBeGreaterThan(10);
    expect(card.license, 'the terms of its training data').toMatch(/^trained on .+\(.+\)$/);
    expect(card.training.iterations).toBeGreaterThanOrEqual(200);
    expect(card.training.hyperParameters.updateRatio).toBeGreaterThanOrEqual(1);
    expect(card.training.seconds).toBeGreaterThan(0);
    const metrics = card.metrics as { evaluatedOn: string; generated: { tracks: unknown[] }; real: { tracks: unknown[] } } | undefined;
    expect(metrics?.evaluatedOn).toMatch(/test split/);
    expect(metrics?.generated.tracks).toHaveLength(card.tracks.length);
    expect(metrics?.real.tracks).toHaveLength(card.tracks.length);
    expect(card.metrics?.realOrGenerated?.accuracy).toBeGreaterThanOrEqual(0);
    expect(await layersModelBytes(dir)).toBeLessThanOrEqual(10 * 2 ** 20);
    expect(existsSync(join(dir, 'training-chart.png'))).toBe(true);
    if (card.conditioning?.chords) {
      // Chord-conditioned models are judged as heard, against the rule baseline, and ship their harmoniser.
      expect(existsSync(join(dir, card.conditioning.harmoniser ?? 'harmoniser.json'))).toBe(true);
      const listening = (card.metrics as { listening?: { model: unknown; rule: unknown; real: unknown } } | undefined)?.listening;
      expect(listening?.model).toBeDefined();
      expect(listening?.rule).toBeDefined();
    }
  });

  it.each(shipped)('%s: accompanies every sample melody with in-key parts that keep to their instruments', async (id) => {
    const model = registry.get(id);
    const { tracks } = model.card;
    const pieces = [];
    const melodies = SAMPLE_MELODIES.map((s) => sampleMelody(s.id)).filter((m) => meterFits(model.card, m.timeSignature));
    // A model for other meters gets a tune of its own: "The Irish Washerwoman"'s first strain, in 6/8.
    if (melodies.length === 0) melodies.push(parseNotation(WASHERWOMAN));
    for (const melody of melodies) {
      const [arrangement] = (await compose(model, melody, { seed: 11 })).arrangements;
      const bar = stepsPerBar(melody.timeSignature);
      pieces.push(pieceMetrics(arrangement.tracks.map((t) => t.notes), arrangement.steps / bar, bar, { keyTrack: 0 }));
      expect(arrangement.tracks.map((t) => t.name)).toEqual(tracks.map((t) => t.name));
    }
    const summary = summarize(pieces);
    // Jazz lines are chromatic by nature: the bar is the real part's own in-scale rate, less a margin.
    const real = (model.card.metrics?.real as { tracks: { inScaleRatio: number; emptyBarRate: number }[] } | undefined)?.tracks;
    summary.tracks.forEach((m, k) => {
      if (k === 0) return;
      const label = `${id} ${tracks[k].name}`;
      // A part that rests in the real music (a pop bridge) may rest here too, but not much more often.
      expect(m.emptyBarRate, label).toBeLessThan(Math.max(0.35, (real?.[k]?.emptyBarRate ?? 0) + 0.2));
      expect(m.inScaleRatio, label).toBeGreaterThan(Math.min(0.6, (real?.[k]?.inScaleRatio ?? 1) - 0.25));
      if (tracks[k].monophonic) expect(m.polyphonyRate, label).toBe(0);
    });
  });

  it.skipIf(!shipped.includes('chorale'))('chorale: the voices keep their order, soprano above alto above tenor above bass', async () => {
    const model = registry.get('chorale');
    // Melodies that lie in a soprano's register (a tune that dips below it may have the alto cross above).
    const register = model.card.tracks[0].playRange ?? model.card.melodyRange;
    const inRegister = SAMPLE_MELODIES.filter((s) => sampleMelody(s.id).notes.every((n) => n.pitch >= register.low - 2));
    expect(inRegister.length).toBeGreaterThanOrEqual(3);
    for (const sample of inRegister) {
      const [arrangement] = (await compose(model, sampleMelody(sample.id), { seed: 11 })).arrangements;
      const mean = (k: number) => arrangement.tracks[k].notes.reduce((s, n) => s + n.pitch, 0) / arrangement.tracks[k].notes.length;
      expect([mean(0) > mean(1), mean(1) > mean(2), mean(2) > mean(3)], sample.id).toEqual([true, true, true]);
    }
  });

  it.each(shipped)('%s: composes 8 bars without leaking tensors', async (id) => {
    const model = registry.get(id);
    const melody = meterFits(model.card, sampleMelody('ode-to-joy').timeSignature) ? sampleMelody('ode-to-joy') : parseNotation(WASHERWOMAN);
    await compose(model, melody, { seed: 1 });
    const before = tf.memory().numTensors;
    await compose(model, melody, { seed: 2, variations: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.skipIf(!shipped.includes('chorale'))('the default model on the default sample', () => {
  let registry: ModelRegistry;
  beforeAll(async () => {
    registry = await ModelRegistry.load(shippedModelsDir());
  });
  afterAll(() => registry.dispose());

  it('harmonises Twinkle in the C major it is written in (key=C), not in the F that its notes alone allow', async () => {
    const model = registry.get('chorale');
    const melody = sampleMelody('twinkle-twinkle');
    expect(melody.key).toEqual({ tonic: 0, mode: 'major' });
    const { key, chords } = await compose(model, melody, { seed: 1 });
    expect(key).toEqual({ tonic: 0, mode: 'major' });
    expect(chordSymbol(chords![0].chord)).toBe('C');
    // Every chord from C major's own triads and dominant seventh: no Bb (F major's) and no C# (D minor's).
    const cMajor = new Set([0, 2, 4, 5, 7, 9, 11]);
    for (const span of chords!) expect(chordPitchClassSet(span.chord).every((pc) => cMajor.has(pc)), chordSymbol(span.chord)).toBe(true);
  });
});

describe.skipIf(!shipped.includes('pop'))('density', () => {
  let registry: ModelRegistry;
  beforeAll(async () => {
    registry = await ModelRegistry.load(shippedModelsDir());
  });
  afterAll(() => registry.dispose());

  it('moves every part of a calibrated model from its own level: more notes above 0, fewer below', async () => {
    const model = registry.get('pop');
    const melody = sampleMelody('twinkle-twinkle');
    const noteSteps = async (density: number) => {
      const { arrangements } = await compose(model, melody, { seed: 7, density });
      return arrangements[0].tracks.filter((t) => t.role === 'accompaniment').map((t) => t.notes.reduce((sum, n) => sum + n.duration, 0));
    };
    const [fewer, calibrated, more] = [await noteSteps(-0.6), await noteSteps(0), await noteSteps(0.6)];
    for (let k = 0; k < calibrated.length; k++) {
      expect(fewer[k]).toBeLessThanOrEqual(calibrated[k]);
      expect(more[k]).toBeGreaterThanOrEqual(calibrated[k]);
    }
    expect(more.reduce((a, b) => a + b)).toBeGreaterThan(calibrated.reduce((a, b) => a + b));
    expect(fewer.reduce((a, b) => a + b)).toBeLessThan(calibrated.reduce((a, b) => a + b));
    await expect(compose(model, melody, { density: 0.5, threshold: 0 })).rejects.toThrow(/density or threshold, not both/);
  });
});
