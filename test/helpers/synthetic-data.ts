import { join } from 'node:path';
import type { Note } from '../../src/music/melody.js';
import type { Piece } from '../../src/training/dataset.js';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/training/hyper-parameters.js';
import { trainModel, type TrainingData } from '../../src/training/train-model.js';

/** A little four-voice piece: a scale tune over a third, a fifth and an octave below. */
export function syntheticPiece(id: string, root: number): Piece {
  const tune = [0, 2, 4, 5, 7, 5, 4, 2, 0, 4, 7, 12, 7, 4, 2, 0];
  const voice = (offset: number): Note[] => tune.map((d, i) => ({ pitch: root + d + offset, start: i * 4, duration: 4, velocity: 90 }));
  return { id, steps: 64, tracks: [voice(0), voice(-3), voice(-7), voice(-12)] };
}

export function syntheticData(): TrainingData {
  return {
    name: 'synthetic scales',
    train: [syntheticPiece('a', 64), syntheticPiece('b', 67), syntheticPiece('c', 62)],
    valid: [syntheticPiece('v', 65)],
    test: [syntheticPiece('t', 60)],
    tracks: ['S', 'A', 'T', 'B'].map((name, i) => ({
      name, program: 19, isDrum: false, role: i === 0 ? ('melody' as const) : ('accompaniment' as const), monophonic: true,
    })),
  };
}

/** The synthetic pieces with chord labels (I for the first bar, V for the second, I, IV…), as chord-labelled data sets have. */
export function syntheticChordData(): TrainingData {
  const withChords = (p: Piece, root: number): Piece => ({
    ...p,
    chordSource: 'label',
    chords: [0, 7, 0, 5].map((offset, bar) => ({ start: bar * 16, duration: 16, chord: { root: (root + offset) % 12, quality: 'maj' as const } })),
  });
  const d = syntheticData();
  const roots: Record<string, number> = { a: 64, b: 67, c: 62, v: 65, t: 60 };
  const label = (ps: readonly Piece[]) => ps.map((p) => withChords(p, roots[p.id]));
  return { ...d, name: 'synthetic scales with chords', train: label(d.train), valid: label(d.valid), test: label(d.test) };
}

/** The synthetic pieces in the JSB chorale JSON layout (16th steps of [S, A, T, B]). */
export function syntheticJsbJson(): string {
  const toSteps = (p: Piece) =>
    Array.from({ length: p.steps }, (_, s) => p.tracks.map((t) => t.find((n) => n.start <= s && s < n.start + n.duration)?.pitch ?? -1));
  const d = syntheticData();
  return JSON.stringify({ train: d.train.map(toSteps), valid: d.valid.map(toSteps), test: d.test.map(toSteps) });
}

/** A real (if tiny) model, trained by the project's own code for one iteration, into `<root>/models/tiny`. */
export async function trainTinyModel(root: string): Promise<void> {
  await trainModel({
    identity: { id: 'tiny', name: 'Tiny', genre: 'test', description: 'one iteration, for tests' },
    data: syntheticData(),
    hyper: { ...DEFAULT_HYPER_PARAMETERS, iterations: 1, batchSize: 4, filters: 2, updateRatio: 1 },
    pitchLow: 28, pitchCount: 64, tempo: 100,
    runDir: join(root, 'run'), modelDir: join(root, 'models', 'tiny'), resume: false,
  });
}
