import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untrainedModel } from '../../test/helpers/tiny-model.js';
import { InvalidInputError } from '../errors.js';
import type { Melody, TimeSignature } from '../music/melody.js';
import { modelForMelody, type ModelSource } from './model-choice.js';
import type { LoadedModel } from './registry.js';

const melodyIn = (timeSignature: TimeSignature): Melody => ({
  notes: [{ pitch: 67, start: 0, duration: 4, velocity: 90 }],
  tempo: 100,
  timeSignature,
});

const TRIPLE = { stepsPerBar: 12, barsPerWindow: 4, timeSignature: { numerator: 3, denominator: 4 } };

describe('modelForMelody: meter siblings', () => {
  let models: LoadedModel[];
  let source: ModelSource;

  beforeAll(async () => {
    const triple = (id: string, genre: string, timeSignature = TRIPLE.timeSignature) =>
      untrainedModel({ id, genre, ...TRIPLE, timeSignature, network: { steps: 48, pitches: 64, tracks: 4, filters: 2, noiseChannels: 16 } });
    models = [
      await untrainedModel({ id: 'folk', genre: 'folk' }),
      await triple('folk-jig', 'folk', { numerator: 6, denominator: 8 }),
      await triple('folk-waltz', 'folk'),
      await untrainedModel({ id: 'chorale', genre: 'chorale' }),
      await triple('jazz-waltz', 'jazz'),
    ];
    source = {
      list: () => models,
      get: (id) => {
        const model = models.find((m) => m.card.id === id);
        if (!model) throw new Error(`no model ${id}`);
        return model;
      },
    };
  });
  afterAll(() => models.forEach((m) => m.generator.dispose()));

  it('keeps the model asked for when its meter fits', () => {
    expect(modelForMelody(source, 'folk', melodyIn({ numerator: 4, denominator: 4 })).card.id).toBe('folk');
    expect(modelForMelody(source, 'folk', melodyIn({ numerator: 2, denominator: 4 })).card.id).toBe('folk');
    expect(modelForMelody(source, 'folk-jig', melodyIn({ numerator: 3, denominator: 4 })).card.id).toBe('folk-jig');
  });

  it("takes a model of the same genre for the melody's meter, one in that very meter first", () => {
    expect(modelForMelody(source, 'folk', melodyIn({ numerator: 3, denominator: 4 })).card.id).toBe('folk-waltz');
    expect(modelForMelody(source, 'folk', melodyIn({ numerator: 6, denominator: 8 })).card.id).toBe('folk-jig');
    expect(modelForMelody(source, 'folk-waltz', melodyIn({ numerator: 4, denominator: 4 })).card.id).toBe('folk');
  });

  it('refuses when no model of the genre fits, naming the models that take the meter', () => {
    let error: unknown;
    try {
      modelForMelody(source, 'chorale', melodyIn({ numerator: 3, denominator: 4 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const e = error as InvalidInputError;
    expect(e.message).toMatch(/^the 'chorale' model composes in 4\/4 \(also 2\/4 and 2\/2\); this melody is in 3\/4 — choose a model for 3\/4/);
    expect(e.message).toMatch(/; the models here for 3\/4: folk-jig, folk-waltz, jazz-waltz$/);
    expect(e.details).toMatchObject({ timeSignature: '3/4', models: ['folk-jig', 'folk-waltz', 'jazz-waltz'] });
    expect(() => modelForMelody(source, 'folk', melodyIn({ numerator: 5, denominator: 4 }))).toThrow(/this melody is in 5\/4 .*; no model here composes in 5\/4$/);
  });

  it('still refuses a melody without notes', () => {
    expect(() => modelForMelody(source, 'folk', { ...melodyIn({ numerator: 3, denominator: 4 }), notes: [] })).toThrow(/the melody has no notes/);
  });
});
