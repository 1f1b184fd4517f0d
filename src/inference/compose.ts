import { randomInt } from 'node:crypto';
import { InvalidInputError } from '../errors.js';
import type { Arrangement, ArrangementTrack } from '../music/arrangement.js';
import { endStep, stepsPerBar, transpose, type Melody, type Note } from '../music/melody.js';
import { decodeWindows, joinWindows } from './decode.js';
import { runGenerator } from './generate.js';
import type { ModelCard } from './model-card.js';
import type { LoadedModel } from './registry.js';

export interface ComposeOptions {
  /** Same seed, model and melody ⇒ same arrangement. Random when absent. */
  readonly seed?: number;
  /** Different arrangements of the same melody, generated in the same forward pass (1–8). */
  readonly variations?: number;
  /** The user's melody is the lead track (default); false keeps the generator's own lead line. */
  readonly keepMelody?: boolean;
  /** Output cells above this are notes (−1…1); lower means more notes. Default: the model card's. */
  readonly threshold?: number;
  /** Scale of the noise z (0 = the model's most typical output, 1 = as trained, up to 2). */
  readonly temperature?: number;
  /** Quarter notes per minute; default the melody's. */
  readonly tempo?: number;
}

export interface Composition {
  readonly modelId: string;
  readonly seed: number;
  readonly arrangements: readonly Arrangement[];
  /** Octaves the melody was moved to fit the model's range (the output is moved back). */
  readonly octaveShift: number;
  readonly windows: number;
}

export const MAX_VARIATIONS = 8;

function checkRange(name: string, value: number | undefined, low: number, high: number, integer = false): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < low || value > high || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError(`${name} must be ${integer ? 'a whole number ' : ''}from ${low} to ${high}, got ${value}`, { field: name });
  }
}

/** Octaves (−4…4) that move the melody best into the range the model learnt melodies in. */
export function octaveShiftFor(notes: readonly Note[], range: { low: number; high: number }): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const k of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
    const cost = notes.reduce((sum, n) => {
      const p = n.pitch + 12 * k;
      return sum + Math.max(0, range.low - p, p - range.high);
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
  checkRange('temperature', options.temperature, 0, 2);
  checkRange('tempo', options.tempo, 20, 400);
}

/** Rejects a melody the model cannot accompany (no notes, a meter its bars do not fit). */
export function checkMelodyFits(card: ModelCard, melody: Melody): void {
  if (melody.notes.length === 0) throw new InvalidInputError('the melody has no notes; give at least one note');
  const barSteps = stepsPerBar(melody.timeSignature);
  if (card.stepsPerBar % barSteps !== 0) {
    const ts = `${melody.timeSignature.numerator}/${melody.timeSignature.denominator}`;
    throw new InvalidInputError(
      `the '${card.id}' model composes in ${card.timeSignature.numerator}/${card.timeSignature.denominator} (also 2/4 and 2/2); this melody is in ${ts} — rewrite it in 4/4 or choose another melody`,
      { timeSignature: ts },
    );
  }
}

/**
 * Accompanies a melody with a model: the melody is cut into the model's windows, every window of
 * every variation goes through the generator in one batched forward pass, and the decoded windows are
 * joined back into whole tracks.
 */
export async function compose(model: LoadedModel, melody: Melody, options: ComposeOptions = {}): Promise<Composition> {
  const { card } = model;
  validateComposeOptions(options);
  checkMelodyFits(card, melody);
  const { network } = card;
  const barSteps = stepsPerBar(melody.timeSignature);
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const variations = options.variations ?? 1;
  const shift = octaveShiftFor(melody.notes, card.melodyRange);
  const fitted = transpose(melody.notes, 12 * shift);
  const length = Math.ceil(endStep(melody.notes) / barSteps) * barSteps;
  const windows = Math.ceil(length / network.steps);

  const frame = network.steps * network.pitches;
  const melodies = new Float32Array(windows * variations * frame).fill(-1);
  for (let v = 0; v < variations; v++) {
    for (const n of fitted) {
      const p = n.pitch - card.pitchLow;
      // Melody notes outside the model's rows cannot be seen by it; they stay in the output as given.
      if (p < 0 || p >= network.pitches) continue;
      for (let s = n.start; s < n.start + n.duration; s++) {
        const w = Math.floor(s / network.steps);
        melodies[(v * windows + w) * frame + (s % network.steps) * network.pitches + p] = 1;
      }
    }
  }
  const output = await runGenerator(model.generator, network, melodies, windows * variations, seed, options.temperature ?? 1);
  const rolls = decodeWindows(output, windows * variations, {
    steps: network.steps,
    pitches: network.pitches,
    tracks: network.tracks,
    pitchLow: card.pitchLow,
    thresholds: card.tracks.map((t) => options.threshold ?? t.threshold ?? card.threshold),
    monophonic: card.tracks.map((t) => t.monophonic),
    ranges: card.tracks.map((t) => t.range),
  });
  const keepMelody = options.keepMelody ?? true;
  const arrangements = Array.from({ length: variations }, (_, v): Arrangement => {
    const generated = joinWindows(rolls.slice(v * windows, (v + 1) * windows), network.tracks);
    const tracks = card.tracks.map((t, k): ArrangementTrack => {
      const notes = t.role === 'melody' && keepMelody
        ? melody.notes.map((n) => ({ ...n }))
        : transpose(generated[k].filter((n) => n.start < length), -12 * shift).map((n) => ({ ...n, duration: Math.min(n.duration, length - n.start) }));
      return { name: t.name, program: t.program, isDrum: t.isDrum, role: t.role, notes };
    });
    return {
      tracks, tempo: options.tempo ?? melody.tempo, timeSignature: melody.timeSignature, steps: length, title: melody.title,
      ...(model.card.swing ? { swing: model.card.swing } : {}),
    };
  });
  return { modelId: card.id, seed, arrangements, octaveShift: shift, windows };
}
