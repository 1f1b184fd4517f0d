import { compose } from '../inference/compose.js';
import { FOLD_BAND_TAILS, type ModelCard, type ModelTrack } from '../inference/model-card.js';
import type { LoadedModel } from '../inference/registry.js';
import { notesInside, percentileRange } from '../music/harmony-measures.js';
import type { Note } from '../music/melody.js';
import { foldIntoRange } from '../music/voicing.js';
import { CALIBRATION_SEED } from './calibrate.js';
import type { Piece } from './dataset.js';
import { listeningOpenings, realRegister } from './listening-evaluation.js';

type PitchRange = { readonly low: number; readonly high: number };

/**
 * How a model's fold bands were chosen on the held-out openings: the tail left out of every part's
 * training notes, each part's band, and the share of notes inside the real parts' register for the
 * real parts and for the model's parts folded into each candidate.
 */
export interface FoldBandChoice {
  readonly tail: number;
  readonly bands: readonly (PitchRange | undefined)[];
  readonly real: number;
  readonly generated: readonly number[];
}

/**
 * The bands a chord-conditioned model's accompaniment is folded into (its parts' `playRange`): one
 * of the candidate percentile bands of each part's training notes in their own keys, the same tail
 * for every part, chosen so that the model's parts on the held-out openings keep inside the real
 * parts' register (each part's 5th–95th percentile over the held-out pieces, as `continuo eval`
 * measures it) as often as the real parts do, pooled over the parts. A generator whose register is
 * narrower than the music's is then not folded narrower still. One tail for all parts, not one per
 * part: 40 openings judge a single part too noisily (a part's best band on one split was the wrong
 * way on the other). Ties go to the narrower band. Undefined for a model with nothing to fold, or
 * nothing to judge by.
 */
export async function calibrateFoldBands(model: LoadedModel, train: readonly Piece[], held: readonly Piece[]): Promise<FoldBandChoice | undefined> {
  const { card } = model;
  if (!card.conditioning) return undefined;
  const parts = card.tracks.map((t, k) => (t.role === 'accompaniment' && t.playRange ? k : -1)).filter((k) => k >= 0);
  if (parts.length === 0) return undefined;
  // The output as the generator writes it, moved back into the melody's key but not folded.
  const unfolded: LoadedModel = { ...model, card: { ...card, tracks: card.tracks.map((t): ModelTrack => (t.playRange ? { ...t, playRange: { low: 0, high: 127 } } : t)) } };
  const real: (readonly Note[])[][] = parts.map(() => []);
  const generated: (readonly Note[])[][] = parts.map(() => []);
  let index = 0;
  for (const opening of listeningOpenings(held, card)) {
    const composition = await compose(unfolded, { notes: opening.tracks[0], tempo: card.tempoDefault, timeSignature: opening.timeSignature }, { seed: CALIBRATION_SEED + index++ });
    parts.forEach((k, i) => {
      real[i].push(opening.tracks[k] ?? []);
      generated[i].push(composition.arrangements[0].tracks[k].notes);
    });
  }
  const chosen = chooseFoldTail(parts.map((k, i) => ({
    register: realRegister(held, k),
    trained: train.flatMap((p) => p.tracks[k] ?? []),
    real: real[i],
    generated: generated[i],
  })));
  if (!chosen) return undefined;
  return { ...chosen, bands: card.tracks.map((_, k) => (parts.includes(k) ? chosen.bands[parts.indexOf(k)] : undefined)) };
}

/** What the choice of a fold band needs of one part. */
export interface FoldPart {
  /** The real part's register over the held-out pieces (its 5th–95th percentile). */
  readonly register: PitchRange | undefined;
  /** The part's training notes in their own keys: the candidate bands are their percentiles. */
  readonly trained: readonly Note[];
  /** The real part and the model's unfolded part, opening by opening. */
  readonly real: readonly (readonly Note[])[];
  readonly generated: readonly (readonly Note[])[];
}

/** The tail (of FOLD_BAND_TAILS) whose bands keep the folded parts inside their registers as often as the real parts, pooled; undefined with nothing to judge by. */
export function chooseFoldTail(parts: readonly FoldPart[]): FoldBandChoice | undefined {
  if (parts.length === 0 || parts.some((p) => !p.register || p.trained.length === 0)) return undefined;
  const realNotes = parts.reduce((sum, p) => sum + p.real.reduce((n, notes) => n + notes.length, 0), 0);
  if (realNotes === 0) return undefined;
  const target = parts.reduce((sum, p) => sum + p.real.reduce((n, notes) => n + notesInside(notes, p.register!), 0), 0) / realNotes;
  const candidates = FOLD_BAND_TAILS.map((tail) => parts.map((p) => percentileRange(p.trained, tail, 1 - tail)!));
  const shares = candidates.map((bands) => {
    let kept = 0;
    let notes = 0;
    parts.forEach((p, i) => {
      for (const part of p.generated) {
        const folded = foldIntoRange(part, bands[i]);
        kept += notesInside(folded, p.register!);
        notes += folded.length;
      }
    });
    return notes > 0 ? kept / notes : Number.NaN;
  });
  if (shares.some((x) => Number.isNaN(x))) return undefined;
  let best = 0;
  shares.forEach((x, i) => {
    if (Math.abs(x - target) < Math.abs(shares[best] - target) - 1e-9) best = i;
  });
  return { tail: FOLD_BAND_TAILS[best], bands: candidates[best], real: target, generated: shares };
}

/** A candidate band's name: `2nd–98th percentile`. */
export function foldTail(tail: number): string {
  const ordinal = (percent: number) => {
    const n = Math.round(percent * 10) / 10;
    return `${n}${ORDINAL_SUFFIX[ORDINALS.select(n)] ?? 'th'}`;
  };
  return `${ordinal(tail * 100)}–${ordinal(100 - tail * 100)} percentile`;
}

const ORDINALS = new Intl.PluralRules('en', { type: 'ordinal' });
const ORDINAL_SUFFIX: Partial<Record<Intl.LDMLPluralRule, string>> = { one: 'st', two: 'nd', few: 'rd' };

/** A card whose parts fold into the chosen bands (the card as it was without a choice). */
export function withFoldBands(card: ModelCard, choice: FoldBandChoice | undefined): ModelCard {
  if (!choice) return card;
  return { ...card, tracks: card.tracks.map((t, k) => (choice.bands[k] ? { ...t, playRange: { ...choice.bands[k]! } } : t)) };
}
