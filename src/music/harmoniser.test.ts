import { describe, expect, it } from 'vitest';
import { CHORD_QUALITIES, type Chord, type ChordSpan, chordSymbol } from './chord.js';
import { DEFAULT_HARMONISE_OPTIONS, DEFAULT_HARMONY_QUALITIES, DEFAULT_METRICAL_WEIGHTS, type HarmonyExample, type HarmoniserModel, chordAccuracy, harmonise, harmoniserFromJson, segmentPosteriors, trainHarmoniser } from './harmoniser.js';
import type { Note } from './melody.js';
import { ruleHarmonise } from './rule-harmoniser.js';
import { seededRandom } from './seeded-random.js';

const BAR = 16;
const C_MAJOR = { tonic: 0, mode: 'major' } as const;
// Chords by their exact chordSymbol spelling (independent of the lead-sheet parser).
const CHORDS = new Map(CHORD_QUALITIES.flatMap((quality) => Array.from({ length: 12 }, (_, root) => [chordSymbol({ root, quality }), { root, quality }] as const)));
const chord = (symbol: string): Chord => {
  const c = CHORDS.get(symbol);
  if (!c) throw new Error(`test: unknown chord ${symbol}`);
  return c;
};
const note = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 80 });


/** Pitches (in C4…B4) a melody may play over each chord, with their weights. */
type Palette = Readonly<Record<string, readonly (readonly [number, number])[]>>;

const CHORD_TONES: Palette = {
  C: [[60, 1], [64, 1], [67, 1]],
  F: [[65, 1], [69, 1], [72, 1]],
  G: [[67, 1], [71, 1], [62, 1]],
  G7: [[67, 1], [71, 1], [62, 1], [65, 1]],
  Am: [[69, 1], [60, 1], [64, 1]],
  Dm: [[62, 1], [65, 1], [69, 1]],
};

/** One piece: a chord per bar cycling through `progression`, a melody of quarter notes drawn from the palette. */
function piece(progression: readonly string[], bars: number, palette: Palette, next: () => number): HarmonyExample {
  const chords: ChordSpan[] = [];
  const melody: Note[] = [];
  for (let b = 0; b < bars; b++) {
    const symbol = progression[b % progression.length];
    chords.push({ start: b * BAR, duration: BAR, chord: chord(symbol) });
    const choices = palette[symbol];
    const total = choices.reduce((a, [, w]) => a + w, 0);
    for (let q = 0; q < 4; q++) {
      let r = next() * total;
      const pick = choices.find(([, w]) => (r -= w) < 0) ?? choices[choices.length - 1];
      melody.push(note(pick[0], b * BAR + q * 4, 4));
    }
  }
  return { melody, chords, steps: bars * BAR, stepsPerBar: BAR };
}

const corpus = (count: number, seed: number, progression: readonly string[], palette: Palette = CHORD_TONES) => {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => piece(progression, 8, palette, next));
};

/** Accuracy pooled over pieces (by steps), of some harmoniser. */
function pooledAccuracy(pieces: readonly HarmonyExample[], harmoniser: (p: HarmonyExample) => ChordSpan[]): number {
  let correct = 0;
  for (const p of pieces) correct += chordAccuracy(harmoniser(p), p.chords, p.steps)! * p.steps;
  return correct / pieces.reduce((a, p) => a + p.steps, 0);
}

const I_IV_V_I = ['C', 'F', 'G', 'C'];
// vi and ii over melodies that mostly avoid their roots: a melody alone says C and F, the progression says Am and Dm.
const I_VI_II_V = ['C', 'Am', 'Dm', 'G'];
const AMBIGUOUS: Palette = {
  ...CHORD_TONES,
  Am: [[60, 1], [64, 1], [69, 0.2]],
  Dm: [[65, 1], [69, 1], [62, 0.2]],
};

describe('trainHarmoniser and harmonise', () => {
  const model = trainHarmoniser(corpus(40, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic I–IV–V–I' });

  it('learns the chords of the corpus as states, with normalised log-probabilities', () => {
    expect(model.kind).toBe('hmm');
    expect(model.vocabulary).toEqual(['C', 'F', 'G']);
    expect(model.segments).toBe(40 * 16);
    const total = (logs: readonly number[]) => logs.reduce((a, x) => a + Math.exp(x), 0);
    expect(total(model.initial)).toBeCloseTo(1);
    for (const row of model.transition) expect(total(row)).toBeCloseTo(1);
    for (const row of model.emission) expect(total(row)).toBeCloseTo(1);
    // Every piece starts on C; C's melody never plays F#.
    expect(model.initial[0]).toBeGreaterThan(Math.log(0.9));
    expect(model.emission[0][6]).toBeLessThan(Math.log(0.01));
  });

  it('learns that chords change on bar starts rather than inside bars', () => {
    expect(Math.exp(model.changeOnDownbeat!)).toBeGreaterThan(0.6);
    expect(Math.exp(model.changeInsideBar!)).toBeLessThan(0.01);
  });

  it('recovers the chords of held-out melodies far better than chance', () => {
    const heldOut = corpus(10, 99, I_IV_V_I);
    const accuracy = pooledAccuracy(heldOut, (p) => harmonise(model, p.melody, p.steps, p.stepsPerBar));
    expect(accuracy).toBeGreaterThan(0.95);
    expect(accuracy).toBeGreaterThan(2 / model.vocabulary.length);
  });

  it('beats the rule baseline where the corpus leans on vi and ii', () => {
    const trained = trainHarmoniser(corpus(40, 2, I_VI_II_V, AMBIGUOUS), { segmentSteps: 8, trainedOn: 'synthetic I–vi–ii–V' });
    const heldOut = corpus(10, 98, I_VI_II_V, AMBIGUOUS);
    const hmm = pooledAccuracy(heldOut, (p) => harmonise(trained, p.melody, p.steps, p.stepsPerBar));
    const rule = pooledAccuracy(heldOut, (p) => ruleHarmonise(p.melody, p.steps, 8, C_MAJOR));
    expect(hmm).toBeGreaterThan(0.9);
    expect(rule).toBeLessThan(0.8);
    expect(hmm).toBeGreaterThan(rule + 0.15);
  });

  it('covers every step, merges equal neighbours and ends with a partial segment', () => {
    const { melody } = corpus(1, 5, I_IV_V_I)[0];
    const spans = harmonise(model, melody, 36, BAR);
    expect(spans[0].start).toBe(0);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i].start).toBe(spans[i - 1].start + spans[i - 1].duration);
      expect(chordSymbol(spans[i].chord)).not.toBe(chordSymbol(spans[i - 1].chord));
    }
    const last = spans[spans.length - 1];
    expect(last.start + last.duration).toBe(36);
    expect(harmonise(model, melody, 0, BAR)).toEqual([]);
    // Without melody the transitions decide: the likeliest opening chord, kept while the model prefers staying.
    expect(harmonise(model, [], 16, BAR).map((s) => chordSymbol(s.chord))).toEqual(['C']);
  });

  it('folds rare chords into their triads and reads unlisted qualities as triads', () => {
    const examples = corpus(10, 3, ['C', 'F', 'G7', 'C']);
    const rare = { ...examples[0], chords: examples[0].chords.map((s, i) => (i === 1 ? { ...s, chord: chord('Fmaj7') } : s)) };
    const withSevenths = trainHarmoniser([rare, ...examples.slice(1)], { segmentSteps: 8, trainedOn: 'x' });
    expect(withSevenths.vocabulary).toEqual(['C', 'F', 'G7']); // Fmaj7 labelled 2 segments: folded into F
    expect(withSevenths.segments).toBe(10 * 16); // ... and its segments kept
    const augmented = { ...examples[0], chords: examples[0].chords.map((s, i) => (i === 1 ? { ...s, chord: chord('Faug') } : s)) };
    expect(trainHarmoniser([augmented, ...examples.slice(1)], { segmentSteps: 8, trainedOn: 'x' }).segments).toBe(10 * 16 - 2); // no aug state: unlabelled
    const triadsOnly = trainHarmoniser(examples, { segmentSteps: 8, trainedOn: 'x', qualities: ['maj', 'min'] });
    expect(triadsOnly.vocabulary).toEqual(['C', 'F', 'G']);
    expect(() => trainHarmoniser([], { segmentSteps: 8, trainedOn: 'x' })).toThrow(/no chord/);
    expect(() => trainHarmoniser(examples, { segmentSteps: 0, trainedOn: 'x' })).toThrow(RangeError);
  });

  it('labels a segment by the chord covering most of it and leaves its input alone', () => {
    const melody = [note(60, 0, 8), note(67, 8, 8)];
    // C for 5 of the first segment's 8 steps, then G; the second segment is all G.
    const chords: ChordSpan[] = [{ start: 0, duration: 5, chord: chord('C') }, { start: 5, duration: 11, chord: chord('G') }];
    const example: HarmonyExample = { melody, chords, steps: 16, stepsPerBar: BAR };
    const frozen = JSON.stringify(example);
    const m = trainHarmoniser([example, example, example], { segmentSteps: 8, trainedOn: 'x' });
    expect(m.vocabulary).toEqual(['C', 'G']);
    expect(Math.exp(m.initial[0])).toBeCloseTo(4 / 5); // three C openings, add-one smoothed
    expect(JSON.stringify(example)).toBe(frozen);
  });

  it('decodes 32 bars in under 20 ms of CPU with the full default vocabulary and the key searched (MBR by default)', () => {
    const symbols = DEFAULT_HARMONY_QUALITIES.flatMap((q) => Array.from({ length: 12 }, (_, root) => chordSymbol({ root, quality: q })));
    const next = seededRandom(7);
    const logRow = (n: number) => {
      const w = Array.from({ length: n }, () => next() + 0.01);
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((x) => Math.log(x / total));
    };
    const big = harmoniserFromJson({
      kind: 'hmm',
      segmentSteps: 8,
      vocabulary: symbols,
      initial: logRow(symbols.length),
      transition: symbols.map(() => logRow(symbols.length)),
      emission: symbols.map(() => logRow(12)),
      changeOnDownbeat: Math.log(0.6),
      changeInsideBar: Math.log(0.1),
      // A flat prior: as many transpositions as decoding ever tries (2 decodes of 48 states: less work
      // than one decode of the 84 states every seventh would make).
      transpositions: new Array(12).fill(Math.log(1 / 12)),
      trainedOn: 'random',
      segments: 0,
    });
    const melody = Array.from({ length: 32 * 8 }, (_, i) => note(60 + Math.floor(next() * 12), i * 2, 2));
    for (let i = 0; i < 20; i++) harmonise(big, melody, 32 * BAR, BAR);
    // The best of a few batches, in CPU time: the machine is shared, and the bound is about the code, not
    // the load (about 2 ms on a quiet core; the speed itself is measured in bench/).
    const batches = Array.from({ length: 10 }, () => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < 10; i++) harmonise(big, melody, 32 * BAR, BAR);
      const { user, system } = process.cpuUsage(t0);
      return (user + system) / 1000 / 10;
    });
    expect(Math.min(...batches)).toBeLessThan(20);
  });
});

describe('key search and metrical weights', () => {
  const model = trainHarmoniser(corpus(40, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic I–IV–V–I' });
  const up = (notes: readonly Note[], semitones: number) => notes.map((n) => ({ ...n, pitch: n.pitch + semitones }));
  const moved = (chords: readonly ChordSpan[], semitones: number) =>
    chords.map((s) => ({ ...s, chord: { root: (s.chord.root + semitones + 12) % 12, quality: s.chord.quality } }));

  it('learns how often a melody lies t semitones below the training key, and can leave it out', () => {
    expect(model.transpositions).toHaveLength(12);
    expect(model.transpositions!.reduce((a, x) => a + Math.exp(x), 0)).toBeCloseTo(1);
    // Melodies of chord tones in C read as C major (or A minor): no move is the likeliest by far.
    expect(Math.exp(model.transpositions![0])).toBeGreaterThan(0.5);
    expect(trainHarmoniser(corpus(5, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'x', keySearch: false }).transpositions).toBeUndefined();
  });

  it('decodes a melody handed in a fifth off (in F) by moving it into the training key and the chords back', () => {
    const heldOut = corpus(10, 97, I_IV_V_I).map((p) => ({ ...p, melody: up(p.melody, 5), chords: moved(p.chords, 5) }));
    const prior = new Array<number>(12).fill(Math.log(0.01 / 10));
    prior[0] = Math.log(0.6);
    prior[7] = Math.log(0.39);
    const searching: HarmoniserModel = { ...model, transpositions: prior };
    const fixed: HarmoniserModel = { ...model, transpositions: undefined };
    // The vocabulary has no Bb: without the search, IV in F cannot be found.
    expect(pooledAccuracy(heldOut, (p) => harmonise(fixed, p.melody, p.steps, p.stepsPerBar))).toBeLessThan(0.8);
    expect(pooledAccuracy(heldOut, (p) => harmonise(searching, p.melody, p.steps, p.stepsPerBar))).toBeGreaterThan(0.95);
    // A key known to be right (written with the melody) is not searched: the same as no prior at all.
    for (const p of heldOut.slice(0, 3)) expect(harmonise(searching, p.melody, p.steps, BAR, { keySearch: false })).toEqual(harmonise(fixed, p.melody, p.steps, BAR));
    // In the training key, the search changes nothing.
    const inC = corpus(3, 96, I_IV_V_I);
    for (const p of inC) expect(harmonise(searching, p.melody, p.steps, BAR)).toEqual(harmonise(fixed, p.melody, p.steps, BAR));
  });

  it('weights melody steps by metrical position: a bar start outweighs a longer note after it', () => {
    const flat = (hot: number) => Array.from({ length: 12 }, (_, pc) => Math.log(pc === hot ? 0.89 : 0.01));
    const base: HarmoniserModel = {
      kind: 'hmm',
      segmentSteps: 8,
      vocabulary: ['C', 'G'],
      initial: [Math.log(0.5), Math.log(0.5)],
      transition: [[Math.log(0.5), Math.log(0.5)], [Math.log(0.5), Math.log(0.5)]],
      emission: [flat(0), flat(7)],
      trainedOn: 'hand-made',
      segments: 0,
    };
    // C on the downbeat for 3 steps, then G for 5.
    const melody = [note(60, 0, 3), note(67, 3, 5)];
    const first = (m: HarmoniserModel) => chordSymbol(harmonise(m, melody, 8, BAR)[0].chord);
    expect(first(base)).toBe('G');
    expect(first({ ...base, metricalWeights: { bar: 4, beat: 0, onset: 0 } })).toBe('C');
    // Trained models carry the weights they were trained with.
    expect(model.metricalWeights).toEqual(DEFAULT_METRICAL_WEIGHTS);
    const plain = trainHarmoniser(corpus(5, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'x', metricalWeights: { bar: 0, beat: 0, onset: 0 } });
    expect(plain.metricalWeights).toEqual({ bar: 0, beat: 0, onset: 0 });
  });

  it('keeps triads and the dominant seventh as states by default', () => {
    expect(DEFAULT_HARMONY_QUALITIES).toEqual(['maj', 'min', 'dim', '7']);
    const examples = corpus(10, 3, ['C', 'Fmaj7', 'G7', 'Am7'], { ...CHORD_TONES, Fmaj7: CHORD_TONES.F, Am7: CHORD_TONES.Am });
    expect(trainHarmoniser(examples, { segmentSteps: 8, trainedOn: 'x' }).vocabulary).toEqual(['C', 'F', 'G7', 'Am']);
  });
});

describe('minimum-Bayes-risk decoding', () => {
  const logs = (ps: readonly number[]) => ps.map((p) => Math.log(p));
  const uniform = logs(new Array(12).fill(1 / 12));
  // One segment whose posterior is the prior (the emissions say nothing): Em 0.36, Am 0.34, C 0.30.
  const undecided: HarmoniserModel = {
    kind: 'hmm',
    segmentSteps: 8,
    vocabulary: ['C', 'Em', 'Am'],
    initial: logs([0.3, 0.36, 0.34]),
    transition: [logs([0.8, 0.1, 0.1]), logs([0.1, 0.8, 0.1]), logs([0.1, 0.1, 0.8])],
    emission: [uniform, uniform, uniform],
    trainedOn: 'hand-made',
    segments: 0,
  };
  const melody = [note(64, 0, 8)];
  const decode = (m: HarmoniserModel, options: Parameters<typeof harmonise>[4]) => harmonise(m, melody, 8, BAR, options).map((s) => chordSymbol(s.chord));

  it('picks the chord whose tones are likeliest to be in the true chord, not the likeliest chord', () => {
    // Expected share of tones in the true chord: C (C .64, E 1, G .66) 0.767, Em 0.673, Am 0.66.
    expect(decode(undecided, { decoding: 'viterbi' })).toEqual(['Em']);
    expect(decode(undecided, { decoding: 'mbr', margin: 0 })).toEqual(['C']);
    // Viterbi's chord stays unless MBR's gain over it (0.093) exceeds the margin.
    expect(decode(undecided, { decoding: 'mbr', margin: 0.05 })).toEqual(['C']);
    expect(decode(undecided, { decoding: 'mbr', margin: 0.1 })).toEqual(['Em']);
  });

  it("decodes with the model's own margin where it has one, and a caller's margin over it", () => {
    const wide: HarmoniserModel = harmoniserFromJson({ ...undecided, mbrMargin: 0.1 });
    expect(decode(wide, {})).toEqual(['Em']);
    expect(decode(wide, { margin: 0.05 })).toEqual(['C']);
    expect(() => harmoniserFromJson({ ...undecided, mbrMargin: 2 })).toThrow(/mbrMargin/);
  });

  it("keeps a seventh that the posteriors hold likelier than its triad, where the model says so", () => {
    // P: C7 0.5, C 0.3, Am 0.2. MBR alone prefers the triad (its three tones are all in C7 too).
    const jazzy: HarmoniserModel = { ...undecided, vocabulary: ['C', 'C7', 'Am'], initial: logs([0.3, 0.5, 0.2]) };
    expect(decode(jazzy, { decoding: 'mbr', margin: 0.5 })).toEqual(['C7']);
    expect(decode(jazzy, { decoding: 'mbr', margin: 0 })).toEqual(['C']);
    expect(decode(harmoniserFromJson({ ...jazzy, mbrSevenths: true }), { decoding: 'mbr', margin: 0 })).toEqual(['C7']);
    // Where the triad is likelier, it stays.
    expect(decode({ ...jazzy, initial: logs([0.5, 0.3, 0.2]), mbrSevenths: true }, { decoding: 'mbr', margin: 0 })).toEqual(['C']);
  });

  it("is trained to keep sevenths only where most of the data's chords are sevenths", () => {
    const next = seededRandom(5);
    const examples = (progression: readonly string[]) => Array.from({ length: 12 }, () => piece(progression, 8, CHORD_TONES, next));
    expect(trainHarmoniser(examples(['C', 'G7', 'Am', 'F']), { segmentSteps: 8, trainedOn: 'test' }).mbrSevenths).toBeUndefined();
    expect(trainHarmoniser(examples(['G7', 'G7', 'G7', 'C']), { segmentSteps: 8, trainedOn: 'test' }).mbrSevenths).toBe(true);
  });

  it('computes segment posteriors equal to summing over every chord sequence', () => {
    const model: HarmoniserModel = {
      kind: 'hmm',
      segmentSteps: 8,
      vocabulary: ['C', 'F', 'G'],
      initial: logs([0.5, 0.2, 0.3]),
      transition: [logs([0.5, 0.3, 0.2]), logs([0.2, 0.4, 0.4]), logs([0.6, 0.1, 0.3])],
      emission: [logs([4, 1, 1, 1, 3, 1, 1, 3, 1, 1, 1, 1].map((x) => x / 19)), logs([3, 1, 1, 1, 1, 3, 1, 1, 1, 3, 1, 1].map((x) => x / 18)), logs([1, 1, 3, 1, 1, 1, 1, 4, 1, 1, 1, 3].map((x) => x / 19))],
      changeOnDownbeat: Math.log(0.7),
      changeInsideBar: Math.log(0.2),
      emissionWeight: 2,
      trainedOn: 'hand-made',
      segments: 0,
    };
    const tune = [note(60, 0, 4), note(64, 4, 4), note(65, 8, 8), note(67, 16, 6), note(62, 22, 2), note(72, 24, 8)];
    const segments = 4;
    // Brute force: log P(path, melody) for all 3^4 paths, with the change/stay split by position.
    const enter = (p: number, n: number, k: number) => {
      const change = k % 2 === 0 ? 0.7 : 0.2; // segments of 8 steps: even ones hold a bar start
      const row = model.transition[p].map(Math.exp);
      return p === n ? Math.log(1 - change) : Math.log((change * row[n]) / (1 - row[p]));
    };
    const pcWeights = Array.from({ length: segments }, (_, k) => {
      const w = new Array<number>(12).fill(0);
      for (const n of tune) for (let s = n.start; s < n.start + n.duration; s++) if (Math.floor(s / 8) === k) w[n.pitch % 12]++;
      return w;
    });
    const emit = (c: number, k: number) => (2 / 8) * pcWeights[k].reduce((a, w, pc) => a + w * model.emission[c][pc], 0);
    const joint: { path: number[]; log: number }[] = [];
    for (let code = 0; code < 3 ** segments; code++) {
      const path = Array.from({ length: segments }, (_, k) => Math.floor(code / 3 ** k) % 3);
      let log = model.initial[path[0]] + emit(path[0], 0);
      for (let k = 1; k < segments; k++) log += enter(path[k - 1], path[k], k) + emit(path[k], k);
      joint.push({ path, log });
    }
    const top = Math.max(...joint.map((j) => j.log));
    const total = joint.reduce((a, j) => a + Math.exp(j.log - top), 0);
    const { posteriors, logLikelihood } = segmentPosteriors(model, tune, 32, BAR);
    expect(logLikelihood).toBeCloseTo(top + Math.log(total), 9);
    expect(posteriors).toHaveLength(segments);
    for (let k = 0; k < segments; k++) {
      for (let c = 0; c < 3; c++) {
        const marginal = joint.filter((j) => j.path[k] === c).reduce((a, j) => a + Math.exp(j.log - top), 0) / total;
        expect(posteriors[k][c]).toBeCloseTo(marginal, 9);
      }
    }
  });

  it('stays finite and normalised over a long melody', () => {
    const model = trainHarmoniser(corpus(20, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic I–IV–V–I' });
    const long = Array.from({ length: 200 * 4 }, (_, i) => note(60 + ((i * 7) % 12), i * 4, 4));
    const { posteriors, logLikelihood } = segmentPosteriors(model, long, 200 * BAR, BAR);
    expect(posteriors).toHaveLength(400);
    expect(Number.isFinite(logLikelihood)).toBe(true);
    expect(logLikelihood).toBeLessThan(-1000);
    for (const row of posteriors) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(harmonise(model, long, 200 * BAR, BAR).every((s) => s.duration > 0)).toBe(true);
  });

  it('is the default, holding chords through rests, and matches Viterbi where the melody is clear', () => {
    expect(DEFAULT_HARMONISE_OPTIONS).toEqual({ decoding: 'mbr', margin: 0.05, holdThroughRests: true, keySearch: true });
    const model = trainHarmoniser(corpus(40, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic I–IV–V–I' });
    for (const p of corpus(5, 95, I_IV_V_I)) {
      expect(harmonise(model, p.melody, p.steps, BAR)).toEqual(harmonise(model, p.melody, p.steps, BAR, DEFAULT_HARMONISE_OPTIONS));
      expect(harmonise(model, p.melody, p.steps, BAR)).toEqual(harmonise(model, p.melody, p.steps, BAR, { decoding: 'viterbi' }));
    }
  });

  it('holds the chord before through segments without melody (leading ones take the first chord heard)', () => {
    const model = trainHarmoniser(corpus(40, 1, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic I–IV–V–I' });
    // Rests in bar 1, G (G B D) in bar 2, rests in bars 3 and 4.
    const tune = [note(67, 16, 4), note(71, 20, 4), note(62, 24, 4), note(67, 28, 4)];
    for (const decoding of ['viterbi', 'mbr'] as const) {
      const held = harmonise(model, tune, 4 * BAR, BAR, { decoding, holdThroughRests: true });
      expect(held.map((s) => [s.start, s.duration, chordSymbol(s.chord)])).toEqual([[0, 64, 'G']]);
      const decided = harmonise(model, tune, 4 * BAR, BAR, { decoding, holdThroughRests: false });
      expect(decided.length).toBeGreaterThan(1);
    }
    // No melody at all: nothing to hold, the transitions decide as before.
    expect(harmonise(model, [], 16, BAR, { holdThroughRests: true }).map((s) => chordSymbol(s.chord))).toEqual(['C']);
  });
});

describe('harmoniserFromJson', () => {
  const model = trainHarmoniser(corpus(10, 4, I_IV_V_I), { segmentSteps: 8, trainedOn: 'synthetic' });

  it('reads back a trained model from its JSON', () => {
    const read = harmoniserFromJson(JSON.parse(JSON.stringify(model)));
    expect(read).toEqual(model);
    const melody = corpus(1, 6, I_IV_V_I)[0].melody;
    expect(harmonise(read, melody, 128, BAR)).toEqual(harmonise(model, melody, 128, BAR));
  });

  it('rejects a bad model with a message naming the field', () => {
    const json = JSON.parse(JSON.stringify(model));
    const bad = (patch: Record<string, unknown>) => () => harmoniserFromJson({ ...json, ...patch });
    expect(bad({ transition: [json.transition[0], json.transition[1].slice(1), json.transition[2]] })).toThrow(/transition\.1: must hold 3 numbers/);
    expect(bad({ segmentSteps: undefined })).toThrow(/segmentSteps/);
    expect(bad({ vocabulary: ['H7', 'F', 'G'] })).toThrow(/vocabulary\.0/);
    expect(bad({ kind: 'crf' })).toThrow(/kind/);
    expect(bad({ emission: [[0], ...json.emission.slice(1)] })).toThrow(/emission\.0/);
    expect(bad({ initial: [0.5, -1, -1] })).toThrow(/initial\.0: must be a log-probability/);
    expect(bad({ changeInsideBar: undefined })).toThrow(/changeInsideBar/);
    expect(bad({ transpositions: [0, -1] })).toThrow(/transpositions: must hold 12 numbers/);
    expect(bad({ metricalWeights: { bar: -1, beat: 0, onset: 0 } })).toThrow(/metricalWeights\.bar/);
    // Models written before key search and metrical weights still load, and decode without them.
    const { transpositions: _t, metricalWeights: _m, ...old } = json;
    expect(harmoniserFromJson(old).transpositions).toBeUndefined();
    expect(() => harmoniserFromJson('model')).toThrow(/Invalid harmoniser model/);
  });
});

describe('chordAccuracy', () => {
  const truth: ChordSpan[] = [
    { start: 0, duration: 8, chord: chord('C') },
    { start: 8, duration: 8, chord: chord('G7') },
  ];

  it('is 1 for identical spans and compares triads', () => {
    expect(chordAccuracy(truth, truth, 16)).toBe(1);
    const sevenths = [{ start: 0, duration: 8, chord: chord('Cmaj7') }, { start: 8, duration: 8, chord: chord('G') }];
    expect(chordAccuracy(sevenths, truth, 16)).toBe(1);
  });

  it('counts steps, wrong and missing predictions alike, and only where truth has a chord', () => {
    expect(chordAccuracy([{ start: 0, duration: 16, chord: chord('C') }], truth, 16)).toBe(0.5);
    expect(chordAccuracy([{ start: 0, duration: 4, chord: chord('C') }], truth, 16)).toBe(0.25);
    expect(chordAccuracy([{ start: 0, duration: 16, chord: chord('Cm') }], truth, 16)).toBe(0);
    expect(chordAccuracy(truth, [{ start: 4, duration: 4, chord: chord('C') }], 16)).toBe(1);
    expect(chordAccuracy(truth, [], 16)).toBeUndefined();
    expect(chordAccuracy(truth, truth, 0)).toBeUndefined();
  });
});
