import { randomInt } from 'node:crypto';
import { InvalidInputError } from '../errors.js';
import type { Arrangement, ArrangementTrack } from '../music/arrangement.js';
import { chordsIn, transposeChords, type ChordSpan } from '../music/chord.js';
import { estimateKey, normalisingShift, type Key } from '../music/key.js';
import { endStep, stepsPerBar, transpose, type Melody, type Note } from '../music/melody.js';
import { foldIntoRange } from '../music/voicing.js';
import { runGeneratorParts, type NoisePart } from './generate.js';
import type { ModelCard } from './model-card.js';
import type { LoadedModel } from './registry.js';
import { WindowCodec } from './window-codec.js';

export interface ComposeOptions {
  /** Same seed, model and melody ⇒ same arrangement. Random when absent. */
  readonly seed?: number;
  /** Different arrangements of the same melody, generated in the same forward pass (1–8). */
  readonly variations?: number;
  /** The user's melody is the lead track (default); false keeps the generator's own lead line. */
  readonly keepMelody?: boolean;
  /**
   * Output cells above this are notes (−1…1), for every part alike: it replaces the per-part levels
   * the model was calibrated with. Prefer `density`.
   */
  readonly threshold?: number;
  /**
   * More (up to 1) or fewer (down to −1) notes than the model's calibrated decoding (0), in every part
   * alike relative to its own calibration.
   */
  readonly density?: number;
  /** Scale of the noise z (0 = the model's most typical output, 1 = as trained, up to 2). */
  readonly temperature?: number;
  /** Quarter notes per minute; default the melody's. */
  readonly tempo?: number;
  /** The chords to accompany (steps from the melody's start); default: the model's harmoniser proposes them. */
  readonly chords?: readonly ChordSpan[];
  /** The melody's key; default: the one written with it (`Melody.key`), else estimated (Krumhansl–Schmuckler) from its notes. */
  readonly key?: Key;
}

export interface Composition {
  readonly modelId: string;
  readonly seed: number;
  readonly arrangements: readonly Arrangement[];
  /** Octaves the melody was moved to fit the model's range (the output is moved back). */
  readonly octaveShift: number;
  readonly windows: number;
  /** The key the music was taken to be in, and the chords accompanied (given or proposed), in the melody's key. */
  readonly key?: Key;
  readonly chords?: readonly ChordSpan[];
  /** Where the chords came from. */
  readonly chordSource?: 'given' | 'harmoniser';
}

export const MAX_VARIATIONS = 8;
/** Semitones a melody may lie outside a key-normalised model's melody range before it is moved by octaves. */
const MELODY_TOLERANCE = 4;

function checkRange(name: string, value: number | undefined, low: number, high: number, integer = false): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < low || value > high || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError(`${name} must be ${integer ? 'a whole number ' : ''}from ${low} to ${high}, got ${value}`, { field: name });
  }
}

/** Octaves (−4…4) that move the melody best into the range the model learnt melodies in. */
export function octaveShiftFor(notes: readonly Note[], range: { low: number; high: number }, tolerance = 0): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const k of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
    const cost = notes.reduce((sum, n) => {
      const p = n.pitch + 12 * k;
      return sum + Math.max(0, range.low - tolerance - p, p - range.high - tolerance);
    }, 0);
    if (cost < bestCost) {
      best = k;
      bestCost = cost;
    }
  }
  return best;
}

/** Rejects options out of range, naming the field and the valid range. */
export function validateComposeOptions(options: ComposeOptions): void {
  checkRange('seed', options.seed, 0, 2 ** 31 - 1, true);
  checkRange('variations', options.variations, 1, MAX_VARIATIONS, true);
  checkRange('threshold', options.threshold, -1, 1);
  checkRange('density', options.density, -1, 1);
  if (options.threshold !== undefined && options.density !== undefined) {
    throw new InvalidInputError('give density or threshold, not both: density moves each part\'s calibrated level, threshold replaces them all', { field: 'density' });
  }
  checkRange('temperature', options.temperature, 0, 2);
  checkRange('tempo', options.tempo, 20, 400);
}

/** Rejects a melody the model cannot accompany (no notes, a meter its bars do not fit). */
/** Whether a model's windows hold whole bars of a meter (4/4 models take 2/4 and 2/2; 3/4 models take 6/8, 3/8, 12/8). */
export function meterFits(card: ModelCard, ts: Melody['timeSignature']): boolean {
  const barSteps = stepsPerBar(ts);
  if (!Number.isInteger(barSteps) || barSteps <= 0) return false;
  if (card.stepsPerBar % barSteps === 0) return true;
  return barSteps % card.stepsPerBar === 0 && card.network.steps % barSteps === 0;
}

export function checkMelodyFits(card: ModelCard, melody: Melody): void {
  if (melody.notes.length === 0) throw new InvalidInputError('the melody has no notes; give at least one note');
  if (!meterFits(card, melody.timeSignature)) {
    const ts = `${melody.timeSignature.numerator}/${melody.timeSignature.denominator}`;
    const own = `${card.timeSignature.numerator}/${card.timeSignature.denominator}`;
    const also = card.stepsPerBar === 16 ? ' (also 2/4 and 2/2)' : card.stepsPerBar === 12 ? ' (also 6/8, 3/8 and 12/8)' : '';
    throw new InvalidInputError(
      `the '${card.id}' model composes in ${own}${also}; this melody is in ${ts} — choose a model for ${ts} or rewrite the melody in ${own}`,
      { timeSignature: ts },
    );
  }
}

/** The tempo a composition plays at: the one asked for, else the melody's own, else (none written) the model's. */
export function playingTempo(card: ModelCard, melody: Melody, requested?: number): number {
  return requested ?? (melody.tempoIsDefault ? card.tempoDefault : melody.tempo);
}

/** The chords a composition follows, in the model's key: the user's, else the harmoniser's, else none. */
function chordsFor(model: LoadedModel, melody: readonly Note[], length: number, barSteps: number, given: readonly ChordSpan[] | undefined, keyShift: number, keyKnown: boolean) {
  if (given && given.length > 0) return { chords: transposeChords(given, keyShift), source: 'given' as const };
  if (model.harmoniser) return { chords: model.harmoniser.harmonise(melody, length, barSteps, keyKnown), source: 'harmoniser' as const };
  return undefined;
}

/** A composition made ready for the generator: its condition windows, and how its output becomes music. */
interface CompositionPlan {
  readonly conditions: Float32Array;
  readonly noise: NoisePart & { readonly count: number };
  finish(output: Float32Array): Composition;
}

/**
 * The melody (and its chords) moved into the key the model was trained in and cut into the model's
 * windows, one row of windows per variation; `finish` decodes the generator's output for them.
 */
function planComposition(model: LoadedModel, melody: Melody, options: ComposeOptions): CompositionPlan {
  const { card } = model;
  validateComposeOptions(options);
  checkMelodyFits(card, melody);
  const { network } = card;
  const codec = new WindowCodec(card);
  const barSteps = stepsPerBar(melody.timeSignature);
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const variations = options.variations ?? 1;
  const length = Math.ceil(endStep(melody.notes) / barSteps) * barSteps;
  const windows = Math.ceil(length / network.steps);

  const normalised = card.conditioning?.key === 'normalised';
  const writtenKey = options.key ?? melody.key;
  const key = writtenKey ?? estimateKey(melody.notes);
  const keyShift = normalised ? normalisingShift(key) : 0;
  const inKey = transpose(melody.notes, keyShift);
  const harmony = codec.usesChords ? chordsFor(model, inKey, length, barSteps, options.chords, keyShift, writtenKey !== undefined) : undefined;
  // A melody a few semitones outside the range the model learnt is left where it is: moving it an
  // octave would move the parts' places relative to it (an alto above a low soprano).
  const shift = octaveShiftFor(inKey, card.melodyRange, normalised ? MELODY_TOLERANCE : 0);
  const fitted = transpose(inKey, 12 * shift);

  const conditions = codec.conditionBuffer(windows * variations);
  for (let w = 0; w < windows; w++) {
    const start = w * network.steps;
    const input = {
      melody: fitted.filter((n) => n.start < start + network.steps && n.start + n.duration > start).map((n) => ({ ...n, start: n.start - start })),
      ...(harmony ? { chords: chordsIn(harmony.chords, start, network.steps) } : {}),
    };
    for (let v = 0; v < variations; v++) codec.writeCondition(input, v * windows + w, conditions);
  }
  const finish = (output: Float32Array): Composition => {
    const decoded = codec.decode(output, windows * variations, codec.trackOptions(options.threshold, options.density));
    const keepMelody = options.keepMelody ?? true;
    // A part's instrument range in the melody's key: its training range, give or take the key move.
    const widen = normalised ? 6 : 5;
    const ranges = card.tracks.map((t) => t.playRange ?? (t.range && { low: t.range.low - widen, high: t.range.high + widen }));
    const arrangements = Array.from({ length: variations }, (_, v): Arrangement => {
      const generated = codec.joinWindows(decoded.slice(v * windows, (v + 1) * windows));
      const parts = card.tracks.map((_, k) =>
        transpose(generated[k].filter((n) => n.start < length), -keyShift).map((n) => ({ ...n, duration: Math.min(n.duration, length - n.start) })),
      );
      const tracks = card.tracks.map((t, k): ArrangementTrack => {
        const range = ranges[k];
        const notes = t.role === 'melody' && keepMelody
          ? melody.notes.map((n) => ({ ...n }))
          // Moved back with the melody; a note that would leave its instrument's range is folded into it.
          : foldIntoRange(transpose(parts[k], -12 * shift), range);
        return { name: t.name, program: t.program, isDrum: t.isDrum, role: t.role, notes };
      });
      return {
        tracks, tempo: playingTempo(card, melody, options.tempo), timeSignature: melody.timeSignature, steps: length, title: melody.title,
        ...(model.card.swing ? { swing: model.card.swing } : {}),
        ...(melody.offset ? { offset: melody.offset } : {}),
        ...(melody.tempos ? { tempos: melody.tempos } : {}),
      };
    });
    return {
      modelId: card.id, seed, arrangements, octaveShift: shift, windows, key,
      ...(harmony ? { chords: transposeChords(harmony.chords, -keyShift), chordSource: harmony.source } : {}),
    };
  };
  return { conditions, noise: { count: windows * variations, seed, temperature: options.temperature ?? 1 }, finish };
}

/**
 * Accompanies a melody with a model: the melody (and its chords) are moved into the key the model was
 * trained in, cut into the model's windows, and every window of every variation goes through the
 * generator in one batched forward pass; the decoded windows are joined into whole parts, and each
 * part is moved back, by octaves into its instrument's range.
 */
export async function compose(model: LoadedModel, melody: Melody, options: ComposeOptions = {}): Promise<Composition> {
  const [result] = await composeTogether(model, [{ melody, options }]);
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** One composition asked of a model, among others in `composeTogether`. */
export interface CompositionRequest {
  readonly melody: Melody;
  readonly options?: ComposeOptions;
}

/**
 * Several compositions with one model in one forward pass: each one's windows with its own noise, so
 * that every result is the one `compose` gives alone. A request that is refused (a bad option, a
 * meter the model does not take) fails alone.
 */
export async function composeTogether(model: LoadedModel, requests: readonly CompositionRequest[]): Promise<PromiseSettledResult<Composition>[]> {
  const plans = requests.map((r): PromiseSettledResult<CompositionPlan> => {
    try {
      return { status: 'fulfilled', value: planComposition(model, r.melody, r.options ?? {}) };
    } catch (reason) {
      return { status: 'rejected', reason };
    }
  });
  const ready = plans.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  if (ready.length === 0) return plans as PromiseSettledResult<never>[];
  const { network } = model.card;
  const conditions = ready.length === 1 ? ready[0].conditions : concatenate(ready.map((p) => p.conditions));
  const output = await runGeneratorParts(model.generator, network, conditions, ready.map((p) => p.noise));
  const windowSize = network.steps * network.pitches * network.tracks;
  let at = 0;
  return plans.map((p): PromiseSettledResult<Composition> => {
    if (p.status === 'rejected') return p;
    const from = at;
    at += p.value.noise.count;
    try {
      return { status: 'fulfilled', value: p.value.finish(output.subarray(from * windowSize, at * windowSize)) };
    } catch (reason) {
      return { status: 'rejected', reason };
    }
  });
}

function concatenate(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Windows the generator runs for a melody with a model (its windows times its variations): the size of its share of a batch. */
export function windowsFor(card: ModelCard, melody: Melody, variations = 1): number {
  const barSteps = stepsPerBar(melody.timeSignature);
  if (!Number.isInteger(barSteps) || barSteps <= 0) return variations;
  const length = Math.ceil(endStep(melody.notes) / barSteps) * barSteps;
  return Math.max(1, Math.ceil(length / card.network.steps)) * variations;
}
