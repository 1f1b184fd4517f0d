import { describe, expect, it } from 'vitest';
import type { TrackMetrics } from '../music/metrics.js';
import { namedEvaluation, type Evaluation } from './evaluate.js';

const metrics = (noteCount: number): TrackMetrics => ({
  emptyBarRate: 0, pitchesUsed: 3, pitchClassesUsed: 3, inScaleRatio: 1, polyphonyRate: 0, qualifiedNoteRate: 1,
  lowestPitch: 48, highestPitch: 72, noteCount,
});

const card = {
  tracks: [
    { name: 'Soprano', program: 52, isDrum: false, role: 'melody' as const, monophonic: true },
    { name: 'Alto', program: 52, isDrum: false, role: 'accompaniment' as const, monophonic: true },
    { name: 'Bass', program: 52, isDrum: false, role: 'accompaniment' as const, monophonic: true },
  ],
};

const evaluation: Evaluation = {
  evaluatedOn: 'JSB chorales, test split: 77 pieces, 300 windows of 2 bars',
  // The melody track of the generated side is the real melody, copied in.
  generated: { tracks: [metrics(10), metrics(7), metrics(5)], tonalDistance: [{ a: 0, b: 1, distance: 0.9 }, { a: 0, b: 2, distance: 1.1 }, { a: 1, b: 2, distance: 1.2 }], pieces: 300 },
  real: { tracks: [metrics(10), metrics(9), metrics(6)], tonalDistance: [{ a: 0, b: 1, distance: 0.7 }, { a: 0, b: 2, distance: 0.8 }, { a: 1, b: 2, distance: 0.6 }], pieces: 300 },
  realOrGenerated: { accuracy: 0.78, pairs: 300, trainPairs: 200, testPairs: 100, epochs: 20 },
};

describe('namedEvaluation (the eval JSON)', () => {
  it('names each track and gives the melody, which the model does not write, no generated side', () => {
    const named = namedEvaluation(card, evaluation);
    expect(named.tracks.map((t) => [t.name, t.role, t.generated?.noteCount, t.real.noteCount])).toEqual([
      ['Soprano', 'melody', undefined, 10],
      ['Alto', 'accompaniment', 7, 9],
      ['Bass', 'accompaniment', 5, 6],
    ]);
    expect(named.tracks[0]).not.toHaveProperty('generated');
    expect(named.windows).toBe(300);
    expect(named.realOrGenerated?.accuracy).toBe(0.78);
  });

  it('names the pairs of the tonal distances, real and generated side by side', () => {
    expect(namedEvaluation(card, evaluation).tonalDistance).toEqual([
      { between: ['Soprano', 'Alto'], real: 0.7, generated: 0.9 },
      { between: ['Soprano', 'Bass'], real: 0.8, generated: 1.1 },
      { between: ['Alto', 'Bass'], real: 0.6, generated: 1.2 },
    ]);
  });
});
