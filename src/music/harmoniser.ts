import { z } from 'zod';
import { CHORD_QUALITIES, type Chord, type ChordQuality, type ChordSpan, chordPitchClassSet, chordSymbol, chordsPerStep, pitchClass, sameChord, triadOf } from './chord.js';
import { estimateKey, normalisingShift } from './key.js';
import type { Note } from './melody.js';

/**
 * A chord harmoniser learned from data: a hidden Markov model over chord segments (one chord decision
 * every `segmentSteps` steps from step 0), decoded with Viterbi. States are chords, observations the
 * melody's duration-weighted pitch classes over each segment. Chord changes are modelled apart from
 * chord choice, with a change probability that depends on whether a segment holds a bar start, because
 * harmony moves mostly on strong beats.
 */
export interface HarmoniserModel {
  readonly kind: 'hmm';
  /** Steps per harmonic segment (one chord decision per segment, e.g. 8 = half a 4/4 bar). */
  readonly segmentSteps: number;
  /** Chord symbols (chordSymbol from chord.ts) of the states. */
  readonly vocabulary: readonly string[];
  /** log P(first chord), log P(next | previous) with the previous index as the row, log P(pitch class | chord) ×12 per state. */
  readonly initial: readonly number[];
  readonly transition: readonly (readonly number[])[];
  readonly emission: readonly (readonly number[])[];
  /**
   * Optional, learned together: log P(chord changes) entering a segment that holds a bar start, and one
   * that does not. When present, decoding uses them for the change/stay decision and the transition
   * matrix (with its diagonal taken out) only for where a change goes.
   */
  readonly changeOnDownbeat?: number;
  readonly changeInsideBar?: number;
  /**
   * Optional (default 1): how much a segment's melody counts against the transitions. A segment's
   * pitch-class weights are its melody note-steps divided by `segmentSteps` (a full segment of melody
   * weighs 1), times this; learned as the value that decodes the training data best.
   */
  readonly emissionWeight?: number;
  /**
   * Optional: log P(t) for t = 0…11, how many semitones a melody handed to `harmonise` lies below the
   * key the model was trained in. Melodies are moved to C major / A minor by a key estimated from the
   * melody alone, which is often a fifth off the key of the whole music; when present, decoding tries
   * every likely t (the melody moved up t, the chords moved back down) and keeps the best-scoring one.
   * Learned from how the training melodies' own keys differ from the keys they were normalised by.
   */
  readonly transpositions?: readonly number[];
  /** Optional (default none): how melody note-steps are weighted by metrical position, in training and decoding alike. */
  readonly metricalWeights?: MetricalWeights;
  /**
   * Optional (default DEFAULT_HARMONISE_OPTIONS.margin): this model's MBR margin (1 = Viterbi's chords
   * always), chosen by chord accuracy on the data's validation split (`continuo harmoniser --margin`).
   */
  readonly mbrMargin?: number;
  /**
   * Optional (default false): after MBR has picked a chord, its quality among those with the same triad
   * (C or C7) is the one the posteriors hold likelier. MBR alone always prefers the triad, whose fewer
   * tones are likelier all to be right; in jazz, where most chords are sevenths, that loses their sound.
   * Training sets it where most of the data's labelled segments (before their chords are reduced to
   * the states' qualities) are sevenths.
   */
  readonly mbrSevenths?: boolean;
  readonly trainedOn: string;
  /** Labelled segments the model was trained on. */
  readonly segments: number;
}

export interface HarmonyExample {
  readonly melody: readonly Note[];
  readonly chords: readonly ChordSpan[];
  readonly steps: number;
  readonly stepsPerBar: number;
}

export interface HarmoniserTrainingOptions {
  readonly segmentSteps: number;
  readonly trainedOn: string;
  /** Chord qualities kept as states (others reduce to their triad). */
  readonly qualities?: readonly ChordQuality[];
  /** A chord becomes a state only when it labels at least this many segments (default 3). */
  readonly minCount?: number;
  /** Add-k smoothing of every count (default 1). */
  readonly smoothing?: number;
  /** Learn `transpositions`, so that decoding searches the melody's key (default true). */
  readonly keySearch?: boolean;
  /** Weights of melody note-steps by metrical position (default DEFAULT_METRICAL_WEIGHTS; all 0 for plain note-steps). */
  readonly metricalWeights?: MetricalWeights;
}

/**
 * Triads and the dominant seventh: on held-out melodies of folk, pop and jazz a smaller vocabulary
 * decodes better than one with every seventh (m7, maj7 and m7b5 fold into their triads).
 */
export const DEFAULT_HARMONY_QUALITIES: readonly ChordQuality[] = ['maj', 'min', 'dim', '7'];

/** Bar starts count three times, the bar's middle twice: chord tones fall there most. */
export const DEFAULT_METRICAL_WEIGHTS: MetricalWeights = { bar: 2, beat: 1, onset: 0 };

// Candidates for the emission weight, tried in this order (a later one must decode strictly better).
const EMISSION_WEIGHTS = [1, 2, 0.5, 4, 0.25, 8];
// Enough training pieces to choose the emission weight without decoding a whole corpus several times.
const WEIGHT_SEARCH_PIECES = 400;

/** Every chord the domain knows, by its symbol: vocabulary symbols are read back exactly. */
const CHORD_BY_SYMBOL: ReadonlyMap<string, Chord> = new Map(
  CHORD_QUALITIES.flatMap((quality) => Array.from({ length: 12 }, (_, root) => {
    const chord: Chord = { root, quality };
    return [chordSymbol(chord), chord] as const;
  })),
);

const segmentCount = (steps: number, segmentSteps: number) => Math.ceil(Math.max(0, steps) / segmentSteps);

/** Whether segment k holds the first step of a bar (bars run from step 0). */
function holdsBarStart(k: number, segmentSteps: number, stepsPerBar: number): boolean {
  const start = k * segmentSteps;
  return Math.ceil(start / stepsPerBar) * stepsPerBar < start + segmentSteps;
}

/**
 * Extra weight of a melody note-step by where it falls: on a bar start, on the bar's middle (`beat`),
 * at the note's onset. Each adds to the step's base weight of 1.
 */
export interface MetricalWeights {
  readonly bar: number;
  readonly beat: number;
  readonly onset: number;
}

const NO_ACCENTS: MetricalWeights = { bar: 0, beat: 0, onset: 0 };

/**
 * Melody note-steps per segment and pitch class (segment-major, 12 per segment), inside [0, steps),
 * each step weighted by its metrical position (divided by the mean weight of a bar's steps, so that a
 * full segment of melody still weighs about `segmentSteps`).
 */
function segmentPitchWeights(melody: readonly Note[], steps: number, segmentSteps: number, stepsPerBar: number, accents: MetricalWeights = NO_ACCENTS): Float64Array {
  const segments = segmentCount(steps, segmentSteps);
  const out = new Float64Array(segments * 12);
  const plain = accents.bar === 0 && accents.beat === 0 && accents.onset === 0;
  // The bar's middle (its second strong beat in 4/4, 2/4 and 6/8); every quarter in an odd bar.
  const half = stepsPerBar % 2 === 0 ? stepsPerBar / 2 : stepsPerBar;
  const norm = 1 / (1 + accents.bar / stepsPerBar + accents.beat / half);
  for (const n of melody) {
    const a = Math.max(0, n.start);
    const b = Math.min(steps, n.start + n.duration);
    if (b <= a) continue;
    const pc = pitchClass(n.pitch);
    if (plain) {
      for (let k = Math.floor(a / segmentSteps); k <= Math.floor((b - 1) / segmentSteps); k++) {
        out[k * 12 + pc] += Math.min(b, (k + 1) * segmentSteps) - Math.max(a, k * segmentSteps);
      }
      continue;
    }
    for (let s = a; s < b; s++) {
      const w = 1 + (s % stepsPerBar === 0 ? accents.bar : 0) + (s % half === 0 ? accents.beat : 0) + (s === n.start ? accents.onset : 0);
      out[Math.floor(s / segmentSteps) * 12 + pc] += w * norm;
    }
  }
  return out;
}

/** Per segment, the chord covering most of its steps (the earliest-starting one on ties); undefined where none. */
function segmentLabels(chords: readonly ChordSpan[], steps: number, segmentSteps: number): (Chord | undefined)[] {
  const perStep = chordsPerStep(chords, steps);
  const labels: (Chord | undefined)[] = [];
  for (let start = 0; start < steps; start += segmentSteps) {
    const counts = new Map<string, { chord: Chord; steps: number }>();
    for (let s = start; s < Math.min(steps, start + segmentSteps); s++) {
      const chord = perStep[s];
      if (!chord) continue;
      const key = chordSymbol(chord);
      const entry = counts.get(key);
      if (entry) entry.steps++;
      else counts.set(key, { chord, steps: 1 });
    }
    let best: { chord: Chord; steps: number } | undefined;
    for (const entry of counts.values()) if (!best || entry.steps > best.steps) best = entry;
    labels.push(best?.chord);
  }
  return labels;
}

/** What decoding needs, in flat typed arrays (built once per model and cached). */
interface DecodeTables {
  readonly states: number;
  readonly chords: readonly Chord[];
  readonly initial: Float64Array;
  /** states × 12. */
  readonly emission: Float64Array;
  /** Transposed (next-major: [next * states + previous]) log-scores entering a segment without / with a bar start. */
  readonly insideBar: Float64Array;
  readonly onDownbeat: Float64Array;
  /** The same as probabilities, for forward–backward. */
  readonly initialP: Float64Array;
  readonly insideBarP: Float64Array;
  readonly onDownbeatP: Float64Array;
  /** Each state's chord tones (pitch classes). */
  readonly tones: readonly (readonly number[])[];
}

const tableCache = new WeakMap<HarmoniserModel, DecodeTables>();

function decodeTables(model: HarmoniserModel): DecodeTables {
  const cached = tableCache.get(model);
  if (cached) return cached;
  const v = model.vocabulary.length;
  const chords = model.vocabulary.map((symbol) => {
    const chord = CHORD_BY_SYMBOL.get(symbol);
    if (!chord) throw new Error(`harmoniser: unknown chord symbol "${symbol}" in the vocabulary`);
    return chord;
  });
  const emission = new Float64Array(v * 12);
  model.emission.forEach((row, c) => row.forEach((x, pc) => (emission[c * 12 + pc] = x)));
  const positional = (logChange: number | undefined): Float64Array => {
    const out = new Float64Array(v * v);
    for (let p = 0; p < v; p++) {
      const row = model.transition[p];
      // log P(next | previous, the chord changes): the row without its diagonal, renormalised.
      const logLeave = Math.log1p(-Math.min(Math.exp(row[p]), 1 - 1e-12));
      for (let n = 0; n < v; n++) {
        out[n * v + p] = logChange === undefined ? row[n]
          : p === n ? Math.log1p(-Math.min(Math.exp(logChange), 1 - 1e-12))
            : logChange + row[n] - logLeave;
      }
    }
    return out;
  };
  const positionAware = model.changeOnDownbeat !== undefined && model.changeInsideBar !== undefined;
  const insideBar = positional(positionAware ? model.changeInsideBar : undefined);
  const onDownbeat = positional(positionAware ? model.changeOnDownbeat : undefined);
  const tables: DecodeTables = {
    states: v,
    chords,
    initial: Float64Array.from(model.initial),
    emission,
    insideBar,
    onDownbeat,
    initialP: Float64Array.from(model.initial, Math.exp),
    insideBarP: insideBar.map(Math.exp),
    onDownbeatP: onDownbeat.map(Math.exp),
    tones: chords.map(chordPitchClassSet),
  };
  tableCache.set(model, tables);
  return tables;
}

/** The most likely state of each segment (Viterbi); ties go to the lower state index. */
function viterbi(t: DecodeTables, weights: Float64Array, segmentSteps: number, stepsPerBar: number, emissionWeight: number): { path: Int32Array; score: number } {
  const segments = weights.length / 12;
  const v = t.states;
  const path = new Int32Array(segments);
  if (segments === 0) return { path, score: 0 };
  const scale = emissionWeight / segmentSteps;
  const emit = (k: number, c: number) => {
    let score = 0;
    for (let pc = 0; pc < 12; pc++) {
      const w = weights[k * 12 + pc];
      if (w !== 0) score += w * t.emission[c * 12 + pc];
    }
    return score * scale;
  };
  let delta = new Float64Array(v);
  let next = new Float64Array(v);
  const back = new Int32Array(segments * v);
  for (let c = 0; c < v; c++) delta[c] = t.initial[c] + emit(0, c);
  for (let k = 1; k < segments; k++) {
    const enter = holdsBarStart(k, segmentSteps, stepsPerBar) ? t.onDownbeat : t.insideBar;
    for (let n = 0; n < v; n++) {
      let best = -Infinity;
      let arg = 0;
      const base = n * v;
      for (let p = 0; p < v; p++) {
        const score = delta[p] + enter[base + p];
        if (score > best) {
          best = score;
          arg = p;
        }
      }
      next[n] = best + emit(k, n);
      back[k * v + n] = arg;
    }
    [delta, next] = [next, delta];
  }
  let last = 0;
  for (let c = 1; c < v; c++) if (delta[c] > delta[last]) last = c;
  path[segments - 1] = last;
  for (let k = segments - 1; k > 0; k--) path[k - 1] = back[k * v + path[k]];
  return { path, score: delta[last] };
}

/** Pitch-class weights moved up by `t` semitones. */
function rotated(weights: Float64Array, t: number): Float64Array {
  if (t === 0) return weights;
  const out = new Float64Array(weights.length);
  for (let k = 0; k < weights.length; k += 12) for (let pc = 0; pc < 12; pc++) out[k + ((pc + t) % 12)] = weights[k + pc];
  return out;
}

/** The transpositions worth decoding: at least this share of the prior, at most this many, likeliest first. */
const TRANSPOSITION_SHARE = 0.02;
const MAX_TRANSPOSITIONS = 2;

function candidateTranspositions(model: HarmoniserModel, keySearch: boolean): { t: number; log: number }[] {
  const prior = model.transpositions;
  if (!prior || !keySearch) return [{ t: 0, log: 0 }];
  return prior.map((log, t) => ({ t, log })).filter((c) => Math.exp(c.log) >= TRANSPOSITION_SHARE || c.t === 0).sort((a, b) => b.log - a.log || a.t - b.t).slice(0, MAX_TRANSPOSITIONS);
}

/**
 * The forward pass of forward–backward over the same transitions, positions and emissions Viterbi
 * uses: per segment (segment-major, `states` each) P(state | melody up to it), the emission
 * probabilities relative to each segment's best state, and the melody's log-likelihood. Every
 * segment is rescaled (its scale kept in log space), so long melodies neither underflow nor lose
 * the likelihood.
 */
interface Forward {
  readonly alpha: Float64Array;
  readonly emit: Float64Array;
  readonly logLikelihood: number;
}

/** Scales states [at, at + v) of xs to sum 1 (uniform when they sum to 0); returns the log of their sum. */
function normalise(xs: Float64Array, at: number, v: number): number {
  let total = 0;
  for (let c = 0; c < v; c++) total += xs[at + c];
  if (!(total > 0)) {
    for (let c = 0; c < v; c++) xs[at + c] = 1 / v;
    return -Infinity;
  }
  for (let c = 0; c < v; c++) xs[at + c] /= total;
  return Math.log(total);
}

function forward(t: DecodeTables, weights: Float64Array, segmentSteps: number, stepsPerBar: number, emissionWeight: number): Forward {
  const segments = weights.length / 12;
  const v = t.states;
  const alpha = new Float64Array(segments * v);
  const emit = new Float64Array(segments * v);
  const scale = emissionWeight / segmentSteps;
  let logLikelihood = 0;
  for (let k = 0; k < segments; k++) {
    let top = -Infinity;
    for (let c = 0; c < v; c++) {
      let score = 0;
      for (let pc = 0; pc < 12; pc++) {
        const w = weights[k * 12 + pc];
        if (w !== 0) score += w * t.emission[c * 12 + pc];
      }
      score *= scale;
      emit[k * v + c] = score;
      if (score > top) top = score;
    }
    for (let c = 0; c < v; c++) emit[k * v + c] = Math.exp(emit[k * v + c] - top);
    logLikelihood += top;
    if (k === 0) {
      for (let c = 0; c < v; c++) alpha[c] = t.initialP[c] * emit[c];
    } else {
      const enter = holdsBarStart(k, segmentSteps, stepsPerBar) ? t.onDownbeatP : t.insideBarP;
      const prev = (k - 1) * v;
      for (let n = 0; n < v; n++) {
        let sum = 0;
        const base = n * v;
        for (let p = 0; p < v; p++) sum += alpha[prev + p] * enter[base + p];
        alpha[k * v + n] = sum * emit[k * v + n];
      }
    }
    logLikelihood += normalise(alpha, k * v, v);
  }
  return { alpha, emit, logLikelihood };
}

/** The backward pass: segment posteriors P(state of segment k | the whole melody), segment-major. */
function posteriors(t: DecodeTables, f: Forward, segmentSteps: number, stepsPerBar: number): Float64Array {
  const v = t.states;
  const segments = f.alpha.length / v;
  const posterior = Float64Array.from(f.alpha);
  // Backward vectors, rescaled per segment (their scale cancels in the posterior).
  let beta = new Float64Array(v).fill(1);
  let next = new Float64Array(v);
  for (let k = segments - 1; k >= 0; k--) {
    for (let c = 0; c < v; c++) posterior[k * v + c] *= beta[c];
    normalise(posterior, k * v, v);
    if (k === 0) break;
    const enter = holdsBarStart(k, segmentSteps, stepsPerBar) ? t.onDownbeatP : t.insideBarP;
    next.fill(0);
    for (let n = 0; n < v; n++) {
      const x = f.emit[k * v + n] * beta[n];
      if (x === 0) continue;
      const base = n * v;
      for (let p = 0; p < v; p++) next[p] += enter[base + p] * x;
    }
    normalise(next, 0, v);
    [beta, next] = [next, beta];
  }
  return posterior;
}

/**
 * Per segment, P(each vocabulary chord | the whole melody) by forward–backward (rows in segment
 * order, columns in vocabulary order), and the melody's log-likelihood under the model, with the
 * melody taken as it is (no transposition searched). What MBR decoding in `harmonise` reads.
 */
export function segmentPosteriors(model: HarmoniserModel, melody: readonly Note[], steps: number, stepsPerBar: number): { posteriors: number[][]; logLikelihood: number } {
  if (!(stepsPerBar > 0)) throw new RangeError(`stepsPerBar must be positive, got ${stepsPerBar}`);
  const tables = decodeTables(model);
  const weights = segmentPitchWeights(melody, steps, model.segmentSteps, stepsPerBar, model.metricalWeights);
  const f = forward(tables, weights, model.segmentSteps, stepsPerBar, model.emissionWeight ?? 1);
  const flat = posteriors(tables, f, model.segmentSteps, stepsPerBar);
  const v = tables.states;
  return { posteriors: Array.from({ length: flat.length / v }, (_, k) => Array.from(flat.subarray(k * v, (k + 1) * v))), logLikelihood: f.logLikelihood };
}

/** How `harmonise` picks the chords. */
export interface HarmoniseOptions {
  /**
   * 'viterbi': the single likeliest chord sequence. 'mbr' (minimum Bayes risk): per segment, the chord
   * with the largest expected share of its tones in the true chord, Σ P(c′) · |tones(c) ∩ tones(c′)| / |tones(c)|
   * under the segment posteriors (forward–backward, transpositions mixed by their likelihoods); where
   * Viterbi's chord comes within `margin` of that, Viterbi's is kept.
   */
  readonly decoding?: 'viterbi' | 'mbr';
  /** MBR only: how much more expected chord-tone share (0…1) a chord must promise to replace Viterbi's. */
  readonly margin?: number;
  /** Segments without melody keep the chord before them (leading ones take the first one heard) instead of being decoded. */
  readonly holdThroughRests?: boolean;
  /**
   * Search the melody's key with the model's `transpositions` (default true). False when the key the
   * melody was moved by is known (written with it, or given): the melody is then decoded as it is.
   */
  readonly keySearch?: boolean;
}

/** What `harmonise` does by default (chosen on held-out folk, jazz and pop melodies). */
export const DEFAULT_HARMONISE_OPTIONS: Required<HarmoniseOptions> = { decoding: 'mbr', margin: 0.05, holdThroughRests: true, keySearch: true };

/** A transposition's share of the posterior below which MBR leaves it out. */
const MIN_SHARE = 1e-4;

/**
 * The chords of a melody: one per segment, equal neighbours merged into one span, covering steps
 * [0, steps) (the last segment may be shorter). Segments without melody are decided by the
 * transitions alone (or hold the chord before them, with `holdThroughRests`).
 */
export function harmonise(model: HarmoniserModel, melody: readonly Note[], steps: number, stepsPerBar: number, options: HarmoniseOptions = {}): ChordSpan[] {
  if (!(stepsPerBar > 0)) throw new RangeError(`stepsPerBar must be positive, got ${stepsPerBar}`);
  const o = { ...DEFAULT_HARMONISE_OPTIONS, ...(model.mbrMargin !== undefined ? { margin: model.mbrMargin } : {}), ...options };
  const tables = decodeTables(model);
  const v = tables.states;
  const weights = segmentPitchWeights(melody, steps, model.segmentSteps, stepsPerBar, model.metricalWeights);
  const segments = weights.length / 12;
  const emissionWeight = model.emissionWeight ?? 1;
  const shifts = candidateTranspositions(model, o.keySearch).map(({ t, log }) => ({ t, log, weights: rotated(weights, t) }));
  const chordOf = (state: number, t: number): Chord => {
    const c = tables.chords[state];
    return t === 0 ? c : { root: pitchClass(c.root - t), quality: c.quality };
  };
  const viterbiChords = (w: Float64Array, t: number): Chord[] => Array.from(viterbi(tables, w, model.segmentSteps, stepsPerBar, emissionWeight).path, (state) => chordOf(state, t));
  let chosen: Chord[];
  if (o.decoding !== 'mbr' || segments === 0) {
    // Each likely transposition decoded in full: its best path's score (plus its prior) decides.
    let best: { path: Int32Array; score: number; t: number } = { path: new Int32Array(0), score: -Infinity, t: 0 };
    for (const { t, log, weights: w } of shifts) {
      const decoded = viterbi(tables, w, model.segmentSteps, stepsPerBar, emissionWeight);
      if (decoded.score + log > best.score) best = { ...decoded, score: decoded.score + log, t };
    }
    chosen = Array.from(best.path, (state) => chordOf(state, best.t));
  } else {
    // Posteriors per transposition, mixed by P(t | melody) (likelihood times prior), read as
    // P(pitch class ∈ true chord); a transposition with a negligible share is left out.
    const forwards = shifts.map((shift) => ({ ...shift, f: forward(tables, shift.weights, model.segmentSteps, stepsPerBar, emissionWeight) }));
    const top = Math.max(...forwards.map((d) => d.f.logLikelihood + d.log));
    const odds = forwards.map((d) => Math.exp(d.f.logLikelihood + d.log - top));
    const oddsTotal = odds.reduce((a, b) => a + b, 0);
    const mixed = forwards.map((d, i) => ({ ...d, share: odds[i] / oddsTotal })).filter((d) => d.share >= MIN_SHARE).sort((x, y) => y.share - x.share);
    // What MBR must beat: the Viterbi chords under the likeliest transposition.
    chosen = viterbiChords(mixed[0].weights, mixed[0].t);
    const inChord = new Float64Array(segments * 12);
    // With `mbrSevenths`, also P(chord) per segment over the transpositions mixed in, by symbol.
    const mass = model.mbrSevenths ? Array.from({ length: segments }, () => new Map<string, { chord: Chord; p: number }>()) : undefined;
    for (const d of mixed) {
      const posterior = posteriors(tables, d.f, model.segmentSteps, stepsPerBar);
      const tones = tables.tones.map((pcs) => pcs.map((pc) => pitchClass(pc - d.t)));
      const moved = mass && tables.chords.map((_, c) => chordOf(c, d.t));
      for (let k = 0; k < segments; k++) {
        for (let c = 0; c < v; c++) {
          const p = posterior[k * v + c] * d.share;
          if (p === 0) continue;
          for (const pc of tones[c]) inChord[k * 12 + pc] += p;
          if (mass && moved) {
            const symbol = chordSymbol(moved[c]);
            const entry = mass[k].get(symbol);
            if (entry) entry.p += p;
            else mass[k].set(symbol, { chord: moved[c], p });
          }
        }
      }
    }
    // Candidates: every state under every transposition mixed in.
    const candidates = mixed.flatMap((d) => tables.chords.map((_, c) => chordOf(c, d.t))).map((chord) => ({ chord, tones: chordPitchClassSet(chord) }));
    const gain = (k: number, tones: readonly number[]) => {
      let sum = 0;
      for (const pc of tones) sum += inChord[k * 12 + pc];
      return sum / tones.length;
    };
    for (let k = 0; k < segments; k++) {
      let pick = chosen[k];
      let pickGain = gain(k, chordPitchClassSet(pick)) + o.margin;
      for (const cand of candidates) {
        const g = gain(k, cand.tones);
        if (g > pickGain + 1e-12) {
          pick = cand.chord;
          pickGain = g;
        }
      }
      chosen[k] = mass ? likeliestOfTriad(pick, mass[k]) : pick;
    }
  }
  if (o.holdThroughRests) {
    const heard = (k: number) => weights.subarray(k * 12, k * 12 + 12).some((w) => w > 0);
    const first = chosen.findIndex((_, k) => heard(k));
    if (first > 0) for (let k = 0; k < first; k++) chosen[k] = chosen[first];
    for (let k = Math.max(1, first); first >= 0 && k < segments; k++) if (!heard(k)) chosen[k] = chosen[k - 1];
  }
  const spans: ChordSpan[] = [];
  for (let k = 0; k < segments; k++) {
    const start = k * model.segmentSteps;
    const end = Math.min(steps, start + model.segmentSteps);
    const last = spans[spans.length - 1];
    if (last && sameChord(last.chord, chosen[k])) spans[spans.length - 1] = { ...last, duration: end - last.start };
    else spans.push({ start, duration: end - start, chord: chosen[k] });
  }
  return spans;
}

/** Of the chords with `pick`'s triad (C, C7), the one with the most posterior mass; `pick` on a tie. */
function likeliestOfTriad(pick: Chord, mass: ReadonlyMap<string, { readonly chord: Chord; readonly p: number }>): Chord {
  const triad = triadOf(pick);
  let best = { chord: pick, p: mass.get(chordSymbol(pick))?.p ?? 0 };
  for (const entry of mass.values()) if (entry.p > best.p && sameChord(triadOf(entry.chord), triad)) best = entry;
  return best.chord;
}

interface LabelledPiece {
  /** State index per segment, −1 where unlabelled. */
  readonly states: Int32Array;
  readonly weights: Float64Array;
  readonly stepsPerBar: number;
}

const logNormalised = (counts: readonly number[], k: number): number[] => {
  const total = counts.reduce((a, b) => a + b, 0) + k * counts.length;
  return counts.map((c) => Math.log((c + k) / total));
};

/**
 * Trains the harmoniser on key-normalised examples (C major / A minor), so absolute roots serve as
 * states. A segment's label is the chord covering most of it; a chord whose quality is not in
 * `qualities` is read as its triad. Chords labelling fewer than `minCount` segments fold into their
 * triad, and are dropped (their segments unlabelled) if that is still rare. Unlabelled segments
 * break the transition chain. Throws when no chord is frequent enough to be a state.
 */
export function trainHarmoniser(examples: readonly HarmonyExample[], o: HarmoniserTrainingOptions): HarmoniserModel {
  const { segmentSteps } = o;
  if (!Number.isInteger(segmentSteps) || segmentSteps < 1) throw new RangeError(`segmentSteps must be a positive integer, got ${segmentSteps}`);
  const badBar = examples.find((ex) => !(ex.stepsPerBar > 0));
  if (badBar) throw new RangeError(`stepsPerBar must be positive, got ${badBar.stepsPerBar}`);
  const qualities = new Set(o.qualities ?? DEFAULT_HARMONY_QUALITIES);
  const minCount = o.minCount ?? 3;
  const k = o.smoothing ?? 1;
  const accents = o.metricalWeights ?? DEFAULT_METRICAL_WEIGHTS;
  const allowed = (chord: Chord): Chord | undefined =>
    qualities.has(chord.quality) ? chord : qualities.has(triadOf(chord).quality) ? triadOf(chord) : undefined;

  const given = examples.map((ex) => segmentLabels(ex.chords, ex.steps, segmentSteps));
  const raw = given.map((piece) => piece.map((c) => (c ? allowed(c) : undefined)));
  const count = (labels: readonly (Chord | undefined)[][]) => {
    const counts = new Map<string, number>();
    for (const piece of labels) for (const c of piece) if (c) counts.set(chordSymbol(c), (counts.get(chordSymbol(c)) ?? 0) + 1);
    return counts;
  };
  const rawCounts = count(raw);
  const folded = raw.map((piece) => piece.map((c) => (c && (rawCounts.get(chordSymbol(c)) ?? 0) < minCount ? triadOf(c) : c)));
  const foldedCounts = count(folded);
  // The data's own chords, before they are reduced to the states' qualities.
  const labels = given.flat().filter((c): c is Chord => c !== undefined);
  const sevenths = labels.filter((c) => triadOf(c).quality !== c.quality).length;
  // States in a fixed order (by root, then quality) so that a model does not depend on example order.
  const vocabulary = [...CHORD_BY_SYMBOL.keys()]
    .filter((s) => (foldedCounts.get(s) ?? 0) >= minCount)
    .sort((a, b) => {
      const ca = CHORD_BY_SYMBOL.get(a)!;
      const cb = CHORD_BY_SYMBOL.get(b)!;
      return ca.root - cb.root || CHORD_QUALITIES.indexOf(ca.quality) - CHORD_QUALITIES.indexOf(cb.quality);
    });
  if (vocabulary.length === 0) throw new Error(`harmoniser: no chord labels at least ${minCount} segments; nothing to train on`);
  const index = new Map(vocabulary.map((s, i) => [s, i]));
  const v = vocabulary.length;

  const pieces: LabelledPiece[] = examples.map((ex, i) => ({
    states: Int32Array.from(folded[i], (c) => (c ? (index.get(chordSymbol(c)) ?? -1) : -1)),
    weights: segmentPitchWeights(ex.melody, ex.steps, segmentSteps, ex.stepsPerBar, accents),
    stepsPerBar: ex.stepsPerBar,
  }));

  const initial = new Array<number>(v).fill(0);
  const transition = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  const emission = Array.from({ length: v }, () => new Array<number>(12).fill(0));
  const change = { downbeat: [0, 0], inside: [0, 0] }; // [stays, changes]
  let segments = 0;
  for (const piece of pieces) {
    let previous = -1;
    let started = false;
    piece.states.forEach((state, seg) => {
      if (state < 0) {
        previous = -1;
        return;
      }
      segments++;
      for (let pc = 0; pc < 12; pc++) emission[state][pc] += piece.weights[seg * 12 + pc];
      if (!started) initial[state]++;
      started = true;
      if (previous >= 0) {
        transition[previous][state]++;
        const counts = holdsBarStart(seg, segmentSteps, piece.stepsPerBar) ? change.downbeat : change.inside;
        counts[state === previous ? 0 : 1]++;
      }
      previous = state;
    });
  }
  const logChange = (c: readonly number[]) => Math.log((c[1] + k) / (c[0] + c[1] + 2 * k));
  const model: HarmoniserModel = {
    kind: 'hmm',
    segmentSteps,
    vocabulary,
    initial: logNormalised(initial, k),
    transition: transition.map((row) => logNormalised(row, k)),
    emission: emission.map((row) => logNormalised(row, k)),
    changeOnDownbeat: logChange(change.downbeat),
    changeInsideBar: logChange(change.inside),
    metricalWeights: accents,
    trainedOn: o.trainedOn,
    segments,
  };
  return {
    ...model,
    emissionWeight: chooseEmissionWeight(model, pieces),
    ...(o.keySearch === false ? {} : { transpositions: transpositionPrior(examples, k) }),
    // Where most of the data's chords are sevenths (jazz), the decoded ones keep theirs.
    ...(sevenths > labels.length / 2 ? { mbrSevenths: true } : {}),
  };
}

/**
 * log P(t): how often the key estimated from a training melody (whole, and its first 8 bars: what a
 * user hands in) would put it t semitones below the frame the example is in. Smoothed with k / 12.
 */
function transpositionPrior(examples: readonly HarmonyExample[], k: number): number[] {
  const counts = new Array<number>(12).fill(0);
  for (const ex of examples) {
    const opening = ex.melody.filter((n) => n.start < 8 * ex.stepsPerBar);
    for (const melody of [ex.melody, opening]) {
      if (melody.length === 0) continue;
      const t = pitchClass(-normalisingShift(estimateKey(melody)));
      counts[t]++;
    }
  }
  return logNormalised(counts, k / 12);
}

/** The emission weight under which the model decodes (a sample of) its training pieces best. */
function chooseEmissionWeight(model: HarmoniserModel, pieces: readonly LabelledPiece[]): number {
  const stride = Math.max(1, Math.ceil(pieces.length / WEIGHT_SEARCH_PIECES));
  const sample = pieces.filter((_, i) => i % stride === 0);
  const tables = decodeTables(model);
  let best = EMISSION_WEIGHTS[0];
  let bestCorrect = -1;
  for (const weight of EMISSION_WEIGHTS) {
    let correct = 0;
    for (const piece of sample) {
      const { path } = viterbi(tables, piece.weights, model.segmentSteps, piece.stepsPerBar, weight);
      piece.states.forEach((state, seg) => (correct += state >= 0 && path[seg] === state ? 1 : 0));
    }
    if (correct > bestCorrect) {
      best = weight;
      bestCorrect = correct;
    }
  }
  return best;
}

/**
 * Share of the steps where `truth` has a chord whose predicted chord reduces to the same triad (root
 * and quality of `triadOf`); a step without a predicted chord counts as wrong. Undefined when `truth`
 * covers no step of [0, steps).
 */
export function chordAccuracy(predicted: readonly ChordSpan[], truth: readonly ChordSpan[], steps: number): number | undefined {
  const p = chordsPerStep(predicted, steps);
  const t = chordsPerStep(truth, steps);
  let labelled = 0;
  let correct = 0;
  for (let s = 0; s < steps; s++) {
    const truthChord = t[s];
    if (!truthChord) continue;
    labelled++;
    const guess = p[s];
    if (!guess) continue;
    const a = triadOf(guess);
    const b = triadOf(truthChord);
    if (a.root === b.root && a.quality === b.quality) correct++;
  }
  return labelled === 0 ? undefined : correct / labelled;
}

const logProb = z.number().max(1e-9, 'must be a log-probability (≤ 0)');

const modelSchema = z
  .object({
    kind: z.literal('hmm'),
    segmentSteps: z.number().int().positive(),
    vocabulary: z.array(z.string().refine((s) => CHORD_BY_SYMBOL.has(s), 'not a chord symbol of chord.ts (e.g. "C", "Am", "G7", "Bm7b5")')).min(1),
    initial: z.array(logProb),
    transition: z.array(z.array(logProb)),
    emission: z.array(z.array(logProb).length(12, 'must hold 12 numbers, one per pitch class')),
    changeOnDownbeat: logProb.optional(),
    changeInsideBar: logProb.optional(),
    emissionWeight: z.number().positive().optional(),
    metricalWeights: z.object({ bar: z.number().nonnegative(), beat: z.number().nonnegative(), onset: z.number().nonnegative() }).optional(),
    transpositions: z.array(logProb).length(12, 'must hold 12 numbers, one per transposition').optional(),
    mbrMargin: z.number().min(0).max(1).optional(),
    mbrSevenths: z.boolean().optional(),
    trainedOn: z.string(),
    segments: z.number().int().nonnegative(),
  })
  .superRefine((m, ctx) => {
    const v = m.vocabulary.length;
    const expect = (path: (string | number)[], length: number, what: string) => {
      if (length !== v) ctx.addIssue({ code: 'custom', path, message: `must hold ${v} ${what} (one per vocabulary chord), holds ${length}` });
    };
    expect(['initial'], m.initial.length, 'numbers');
    expect(['transition'], m.transition.length, 'rows');
    m.transition.forEach((row, i) => expect(['transition', i], row.length, 'numbers'));
    expect(['emission'], m.emission.length, 'rows');
    if (new Set(m.vocabulary).size !== v) ctx.addIssue({ code: 'custom', path: ['vocabulary'], message: 'holds a chord twice' });
    if ((m.changeOnDownbeat === undefined) !== (m.changeInsideBar === undefined)) {
      ctx.addIssue({ code: 'custom', path: [m.changeOnDownbeat === undefined ? 'changeOnDownbeat' : 'changeInsideBar'], message: 'changeOnDownbeat and changeInsideBar go together' });
    }
  });

/** Reads a harmoniser model from parsed JSON; throws an error naming the first bad fields. */
export function harmoniserFromJson(json: unknown): HarmoniserModel {
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join('.') : '(model)'}: ${issue.message}`);
    throw new Error(`Invalid harmoniser model: ${problems.join('; ')}`);
  }
  return parsed.data;
}
