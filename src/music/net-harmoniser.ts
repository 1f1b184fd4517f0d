import { z } from 'zod';
import { CHORD_QUALITIES, type Chord, type ChordSpan, chordPitchClassSet, chordSymbol, chordsIn, chordsPerStep, pitchClass, sameChord, transposeChords, triadOf } from './chord.js';
import { DEFAULT_HARMONY_QUALITIES, DEFAULT_METRICAL_WEIGHTS, type HarmonyExample, type MetricalWeights } from './harmoniser.js';
import { estimateKey, normalisingShift } from './key.js';
import { transpose, type Note } from './melody.js';
import { seededRandom } from './seeded-random.js';

/**
 * A chord harmoniser that reads context: a small neural network (one hidden layer) that takes the
 * melody of a segment and of `context` segments either side (duration-weighted pitch classes, strong
 * beats weighing more), the opening's pitch-class profile and the segment's place in the bar, and
 * gives P(chord) per segment. Chords are read from it by minimum Bayes risk: the chord with the largest
 * expected share of its tones in the true chord.
 *
 * It learns from 8-bar excerpts moved to C major / A minor by their own melody's key, as a user's
 * melody is at compose time, so it needs no key search: the opening's profile tells it where the key
 * estimate tends to be off. On POP909's held-out openings it names the chord (triad) about 4 points
 * more often than the HMM of ./harmoniser.ts.
 */
export interface NetHarmoniserModel {
  readonly kind: 'mlp';
  readonly segmentSteps: number;
  /** Chord symbols of the outputs. */
  readonly vocabulary: readonly string[];
  /** Segments either side that a segment's features include. */
  readonly context: number;
  readonly hidden: number;
  /** Input × hidden (input-major), hidden, hidden × vocabulary (hidden-major), vocabulary. */
  readonly w1: readonly number[];
  readonly b1: readonly number[];
  readonly w2: readonly number[];
  readonly b2: readonly number[];
  readonly metricalWeights: MetricalWeights;
  readonly trainedOn: string;
  /** Labelled segments it was trained on. */
  readonly segments: number;
}

export interface NetHarmoniserTrainingOptions {
  readonly segmentSteps: number;
  readonly trainedOn: string;
  readonly context?: number;
  readonly hidden?: number;
  readonly epochs?: number;
  /** A chord becomes an output only when it labels at least this many segments (default 3). */
  readonly minCount?: number;
  readonly seed?: number;
}

const EXCERPT_BARS = 8;
const EXCERPT_HOP_BARS = 4;
const BATCH = 64;
const LEARNING_RATE = 0.002;
const WEIGHT_DECAY = 1e-5;

const featureCount = (context: number) => (2 * context + 1) * 12 + 3 + 12;

/** Melody weight per segment and pitch class (a full segment of melody on weak steps weighs 1). */
function segmentWeights(melody: readonly Note[], steps: number, segmentSteps: number, stepsPerBar: number, accents: MetricalWeights): Float64Array {
  const segments = Math.ceil(steps / segmentSteps);
  const out = new Float64Array(segments * 12);
  const half = stepsPerBar % 2 === 0 ? stepsPerBar / 2 : stepsPerBar;
  const norm = 1 / (1 + accents.bar / stepsPerBar + accents.beat / half) / segmentSteps;
  for (const n of melody) {
    const pc = pitchClass(n.pitch);
    for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) {
      const w = 1 + (s % stepsPerBar === 0 ? accents.bar : 0) + (s % half === 0 ? accents.beat : 0) + (s === n.start ? accents.onset : 0);
      out[Math.floor(s / segmentSteps) * 12 + pc] += w * norm;
    }
  }
  return out;
}

/** The features of segment k into `out` at `at`. */
function writeFeatures(weights: Float64Array, profile: Float64Array, k: number, context: number, segmentSteps: number, stepsPerBar: number, out: Float64Array, at: number): void {
  const segments = weights.length / 12;
  for (let j = -context; j <= context; j++) {
    const kk = k + j;
    for (let pc = 0; pc < 12; pc++) out[at + (j + context) * 12 + pc] = kk >= 0 && kk < segments ? weights[kk * 12 + pc] : 0;
  }
  const base = at + (2 * context + 1) * 12;
  const start = k * segmentSteps;
  out[base] = Math.ceil(start / stepsPerBar) * stepsPerBar < start + segmentSteps ? 1 : 0;
  let heard = 0;
  for (let pc = 0; pc < 12; pc++) heard += weights[k * 12 + pc];
  out[base + 1] = heard === 0 ? 1 : 0;
  out[base + 2] = 1;
  for (let pc = 0; pc < 12; pc++) out[base + 3 + pc] = profile[pc];
}

/** The whole excerpt's pitch-class shares, ×3 (about the scale of one segment's weights). */
function excerptProfile(weights: Float64Array): Float64Array {
  const out = new Float64Array(12);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    out[i % 12] += weights[i];
    total += weights[i];
  }
  if (total > 0) for (let pc = 0; pc < 12; pc++) out[pc] = (out[pc] / total) * 3;
  return out;
}

interface Net {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** P(chord) for one feature row; `h` receives the hidden activations. */
function forward(net: Net, x: Float64Array, at: number, h: Float64Array, p: Float64Array): void {
  for (let j = 0; j < net.hidden; j++) {
    let s = net.b1[j];
    for (let i = 0; i < net.inputs; i++) {
      const v = x[at + i];
      if (v !== 0) s += v * net.w1[i * net.hidden + j];
    }
    h[j] = s > 0 ? s : 0;
  }
  let top = -Infinity;
  for (let c = 0; c < net.outputs; c++) {
    let s = net.b2[c];
    for (let j = 0; j < net.hidden; j++) s += h[j] * net.w2[j * net.outputs + c];
    p[c] = s;
    if (s > top) top = s;
  }
  let total = 0;
  for (let c = 0; c < net.outputs; c++) {
    p[c] = Math.exp(p[c] - top);
    total += p[c];
  }
  for (let c = 0; c < net.outputs; c++) p[c] /= total;
}

/** Per segment, the chord covering most of its steps; undefined where none. */
function segmentLabels(chords: readonly ChordSpan[], steps: number, segmentSteps: number): (Chord | undefined)[] {
  const perStep = chordsPerStep(chords, steps);
  const out: (Chord | undefined)[] = [];
  for (let start = 0; start < steps; start += segmentSteps) {
    const counts = new Map<string, { chord: Chord; steps: number }>();
    for (let s = start; s < Math.min(steps, start + segmentSteps); s++) {
      const chord = perStep[s];
      if (!chord) continue;
      const entry = counts.get(chordSymbol(chord)) ?? { chord, steps: 0 };
      entry.steps++;
      counts.set(chordSymbol(chord), entry);
    }
    let best: { chord: Chord; steps: number } | undefined;
    for (const e of counts.values()) if (!best || e.steps > best.steps) best = e;
    out.push(best?.chord);
  }
  return out;
}

/** 8-bar excerpts (hop 4 bars) of key-normalised examples, each moved again by its own melody's key. */
function excerpts(examples: readonly HarmonyExample[]): HarmonyExample[] {
  const out: HarmonyExample[] = [];
  for (const ex of examples) {
    const bar = ex.stepsPerBar;
    for (let start = 0; start < ex.steps; start += EXCERPT_HOP_BARS * bar) {
      const steps = Math.min(EXCERPT_BARS * bar, ex.steps - start);
      if (steps < 2 * bar) break;
      const melody = ex.melody.filter((n) => n.start >= start && n.start < start + steps).map((n) => ({ ...n, start: n.start - start }));
      if (melody.length === 0) continue;
      const shift = normalisingShift(estimateKey(melody));
      out.push({ melody: transpose(melody, shift), chords: transposeChords(chordsIn(ex.chords, start, steps), shift), steps, stepsPerBar: bar });
    }
  }
  return out;
}

const CHORD_BY_SYMBOL: ReadonlyMap<string, Chord> = new Map(
  CHORD_QUALITIES.flatMap((quality) => Array.from({ length: 12 }, (_, root) => {
    const chord: Chord = { root, quality };
    return [chordSymbol(chord), chord] as const;
  })),
);

/**
 * Trains the network (Adam, softmax cross-entropy, a fixed seed) on key-normalised examples. The
 * outputs are the chords (triads and dominant sevenths; other qualities read as their triads) that
 * label at least `minCount` segments.
 */
export function trainNetHarmoniser(examples: readonly HarmonyExample[], o: NetHarmoniserTrainingOptions): NetHarmoniserModel {
  const { segmentSteps } = o;
  const context = o.context ?? 3;
  const hidden = o.hidden ?? 96;
  const epochs = o.epochs ?? 8;
  const accents = DEFAULT_METRICAL_WEIGHTS;
  const qualities = new Set(DEFAULT_HARMONY_QUALITIES);
  const reduce = (c: Chord): Chord | undefined => (qualities.has(c.quality) ? c : qualities.has(triadOf(c).quality) ? triadOf(c) : undefined);
  const cut = excerpts(examples);
  const labelled = cut.map((ex) => segmentLabels(ex.chords, ex.steps, segmentSteps).map((c) => (c ? reduce(c) : undefined)));
  const counts = new Map<string, number>();
  for (const labels of labelled) for (const c of labels) if (c) counts.set(chordSymbol(c), (counts.get(chordSymbol(c)) ?? 0) + 1);
  const vocabulary = [...CHORD_BY_SYMBOL.keys()].filter((s) => (counts.get(s) ?? 0) >= (o.minCount ?? 3));
  if (vocabulary.length === 0) throw new Error('net harmoniser: no chord labels enough segments to learn');
  const index = new Map(vocabulary.map((s, i) => [s, i]));

  const inputs = featureCount(context);
  const targets: number[] = [];
  for (const labels of labelled) for (const c of labels) if (c && index.has(chordSymbol(c))) targets.push(index.get(chordSymbol(c))!);
  const n = targets.length;
  // One row of features per labelled segment, written in place (pop's train split: ~190k rows).
  const x = new Float64Array(n * inputs);
  let row = 0;
  cut.forEach((ex, e) => {
    const weights = segmentWeights(ex.melody, ex.steps, segmentSteps, ex.stepsPerBar, accents);
    const profile = excerptProfile(weights);
    labelled[e].forEach((chord, k) => {
      if (!chord || !index.has(chordSymbol(chord))) return;
      writeFeatures(weights, profile, k, context, segmentSteps, ex.stepsPerBar, x, row * inputs);
      row++;
    });
  });
  const outputs = vocabulary.length;
  const random = seededRandom(o.seed ?? 7);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const net: Net = {
    inputs, hidden, outputs,
    w1: Float64Array.from({ length: inputs * hidden }, () => gauss() * Math.sqrt(2 / inputs)),
    b1: new Float64Array(hidden),
    w2: Float64Array.from({ length: hidden * outputs }, () => gauss() * Math.sqrt(1 / hidden)),
    b2: new Float64Array(outputs),
  };
  const params = [net.w1, net.b1, net.w2, net.b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const h = new Float64Array(hidden);
  const p = new Float64Array(outputs);
  const dh = new Float64Array(hidden);
  const order = Array.from({ length: n }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let from = 0; from < n; from += BATCH) {
      for (const g of grads) g.fill(0);
      const to = Math.min(n, from + BATCH);
      for (let q = from; q < to; q++) {
        const sample = order[q];
        const at = sample * inputs;
        forward(net, x, at, h, p);
        dh.fill(0);
        for (let c = 0; c < outputs; c++) {
          const g = p[c] - (c === targets[sample] ? 1 : 0);
          grads[3][c] += g;
          for (let j = 0; j < hidden; j++) {
            grads[2][j * outputs + c] += g * h[j];
            dh[j] += g * net.w2[j * outputs + c];
          }
        }
        for (let j = 0; j < hidden; j++) {
          if (h[j] <= 0) continue;
          grads[1][j] += dh[j];
          for (let i = 0; i < inputs; i++) {
            const value = x[at + i];
            if (value !== 0) grads[0][i * hidden + j] += dh[j] * value;
          }
        }
      }
      t++;
      const size = to - from;
      params.forEach((param, k) => {
        const g = grads[k];
        for (let i = 0; i < param.length; i++) {
          const gi = g[i] / size + WEIGHT_DECAY * param[i];
          m[k][i] = 0.9 * m[k][i] + 0.1 * gi;
          v[k][i] = 0.999 * v[k][i] + 0.001 * gi * gi;
          param[i] -= (LEARNING_RATE * (m[k][i] / (1 - 0.9 ** t))) / (Math.sqrt(v[k][i] / (1 - 0.999 ** t)) + 1e-8);
        }
      });
    }
  }
  const round = (xs: Float64Array) => Array.from(xs, (value) => Math.round(value * 1e5) / 1e5);
  return {
    kind: 'mlp', segmentSteps, vocabulary, context, hidden,
    w1: round(net.w1), b1: round(net.b1), w2: round(net.w2), b2: round(net.b2),
    metricalWeights: accents, trainedOn: o.trainedOn, segments: n,
  };
}

const netCache = new WeakMap<NetHarmoniserModel, { net: Net; chords: Chord[]; tones: number[][] }>();

function prepared(model: NetHarmoniserModel) {
  const cached = netCache.get(model);
  if (cached) return cached;
  const chords = model.vocabulary.map((s) => {
    const chord = CHORD_BY_SYMBOL.get(s);
    if (!chord) throw new Error(`net harmoniser: unknown chord symbol "${s}" in the vocabulary`);
    return chord;
  });
  const net: Net = {
    inputs: featureCount(model.context), hidden: model.hidden, outputs: chords.length,
    w1: Float64Array.from(model.w1), b1: Float64Array.from(model.b1), w2: Float64Array.from(model.w2), b2: Float64Array.from(model.b2),
  };
  const value = { net, chords, tones: chords.map(chordPitchClassSet) };
  netCache.set(model, value);
  return value;
}

/**
 * The network's P(chord) per segment of a melody in C major / A minor (rows over `model.vocabulary`),
 * and which segments hold melody.
 */
export function netPosteriors(model: NetHarmoniserModel, melody: readonly Note[], steps: number, stepsPerBar: number): { posteriors: Float64Array[]; heard: boolean[] } {
  if (!(stepsPerBar > 0)) throw new RangeError(`stepsPerBar must be positive, got ${stepsPerBar}`);
  const { net } = prepared(model);
  const weights = segmentWeights(melody, steps, model.segmentSteps, stepsPerBar, model.metricalWeights);
  const profile = excerptProfile(weights);
  const segments = weights.length / 12;
  const x = new Float64Array(net.inputs);
  const h = new Float64Array(net.hidden);
  const posteriors: Float64Array[] = [];
  for (let k = 0; k < segments; k++) {
    writeFeatures(weights, profile, k, model.context, model.segmentSteps, stepsPerBar, x, 0);
    const p = new Float64Array(net.outputs);
    forward(net, x, 0, h, p);
    posteriors.push(p);
  }
  return { posteriors, heard: posteriors.map((_, k) => weights.subarray(k * 12, k * 12 + 12).some((w) => w > 0)) };
}

/**
 * The chords of a melody in C major / A minor: per segment the chord with the largest expected share
 * of its tones in the true chord under the network's P(chord); segments without melody keep the
 * chord before them (leading ones take the first one heard); equal neighbours merge.
 */
export function harmoniseWithNet(model: NetHarmoniserModel, melody: readonly Note[], steps: number, stepsPerBar: number): ChordSpan[] {
  const { net, chords, tones } = prepared(model);
  const { posteriors, heard } = netPosteriors(model, melody, steps, stepsPerBar);
  const segments = posteriors.length;
  const inChord = new Float64Array(12);
  const chosen: Chord[] = [];
  for (let k = 0; k < segments; k++) {
    const p = posteriors[k];
    inChord.fill(0);
    for (let c = 0; c < net.outputs; c++) for (const pc of tones[c]) inChord[pc] += p[c];
    let best = 0;
    let bestGain = -1;
    for (let c = 0; c < net.outputs; c++) {
      const gain = tones[c].reduce((sum, pc) => sum + inChord[pc], 0) / tones[c].length;
      if (gain > bestGain + 1e-12) {
        best = c;
        bestGain = gain;
      }
    }
    chosen.push(chords[best]);
  }
  const first = heard.indexOf(true);
  if (first > 0) for (let k = 0; k < first; k++) chosen[k] = chosen[first];
  for (let k = Math.max(1, first); first >= 0 && k < segments; k++) if (!heard[k]) chosen[k] = chosen[k - 1];
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

export const netHarmoniserSchema = z
  .object({
    kind: z.literal('mlp'),
    segmentSteps: z.number().int().positive(),
    vocabulary: z.array(z.string().refine((s) => CHORD_BY_SYMBOL.has(s), 'not a chord symbol of chord.ts (e.g. "C", "Am", "G7")')).min(1),
    context: z.number().int().min(0).max(16),
    hidden: z.number().int().positive().max(1024),
    w1: z.array(z.number()),
    b1: z.array(z.number()),
    w2: z.array(z.number()),
    b2: z.array(z.number()),
    metricalWeights: z.object({ bar: z.number().nonnegative(), beat: z.number().nonnegative(), onset: z.number().nonnegative() }),
    trainedOn: z.string(),
    segments: z.number().int().nonnegative(),
  })
  .superRefine((m, ctx) => {
    const inputs = featureCount(m.context);
    const expect = (path: string, length: number, wanted: number) => {
      if (length !== wanted) ctx.addIssue({ code: 'custom', path: [path], message: `must hold ${wanted} numbers, holds ${length}` });
    };
    expect('w1', m.w1.length, inputs * m.hidden);
    expect('b1', m.b1.length, m.hidden);
    expect('w2', m.w2.length, m.hidden * m.vocabulary.length);
    expect('b2', m.b2.length, m.vocabulary.length);
  });
