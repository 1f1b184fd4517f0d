import { chordsIn, type ChordSpan } from '../music/chord.js';
import { chordAccuracy } from '../music/harmoniser.js';
import { harmonyMeasures, percentileRange, pooledMeasures, type HarmonyMeasures } from '../music/harmony-measures.js';
import { estimateKey, normalisingShift } from '../music/key.js';
import { COMMON_TIME, stepsPerBar, transpose, type Note, type TimeSignature } from '../music/melody.js';
import type { ModelCard } from '../inference/model-card.js';
import { ruleAccompaniment, ruleHarmonise } from '../music/rule-harmoniser.js';
import { compose } from '../inference/compose.js';
import type { LoadedModel } from '../inference/registry.js';
import { windowNotes, type Piece } from './dataset.js';
import type { ListeningEvaluation, SystemMeasures } from '../music/listening-table.js';
import { realOrGenerated, type RealOrGenerated } from './real-or-generated.js';

export { listeningTable, type ListeningEvaluation, type SystemMeasures } from '../music/listening-table.js';

export const LISTENING_SEED = 20261201;
export const LISTENING_BARS = 8;
export const LISTENING_PIECES = 40;

/** The rule yardstick's harmonic rhythm: half a bar (a whole bar in triple and compound meters). */
function ruleSegment(barSteps: number, numerator: number): number {
  return numerator % 3 === 0 ? barSteps : barSteps / 2;
}

/** One held-out opening: its real parts over the first bars, the melody first, in its meter. */
export interface Opening {
  readonly piece: Piece;
  readonly tracks: Note[][];
  readonly timeSignature: TimeSignature;
  readonly barSteps: number;
  readonly steps: number;
}

/** The openings a listening measure composes: the first `bars` bars of the first `count` pieces in id order that have a melody there. */
export function listeningOpenings(pieces: readonly Piece[], card: Pick<ModelCard, 'timeSignature'>, bars = LISTENING_BARS, count = LISTENING_PIECES): Opening[] {
  const chosen = [...pieces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, count);
  return chosen.flatMap((piece) => {
    const timeSignature = piece.timeSignature ?? card.timeSignature ?? COMMON_TIME;
    const barSteps = stepsPerBar(timeSignature);
    const steps = Math.min(piece.steps, bars * barSteps);
    const tracks = windowNotes(piece, 0, steps);
    return tracks[0].length > 0 ? [{ piece, tracks, timeSignature, barSteps, steps }] : [];
  });
}

/** Part k's real register over every held-out piece (its 5th–95th percentile): what "in range" means. */
export function realRegister(pieces: readonly Piece[], k: number): { low: number; high: number } | undefined {
  return percentileRange(pieces.flatMap((p) => p.tracks[k] ?? []));
}

export async function listeningEvaluation(
  model: LoadedModel,
  pieces: readonly Piece[],
  label: string,
  o: { bars?: number; pieces?: number; seed?: number; classifier?: boolean } = {},
): Promise<ListeningEvaluation> {
  const { card } = model;
  const bars = o.bars ?? LISTENING_BARS;
  const seed = o.seed ?? LISTENING_SEED;
  const accompaniment = card.tracks.map((t, k) => ({ t, k })).filter(({ t }) => t.role === 'accompaniment');
  const ranges = accompaniment.map(({ k }) => realRegister(pieces, k));
  const real: HarmonyMeasures[][] = accompaniment.map(() => []);
  const generated: HarmonyMeasures[][] = accompaniment.map(() => []);
  const rule: HarmonyMeasures[][] = [[], []];
  const following: HarmonyMeasures[] = [];
  const accuracy: { model: number[]; rule: number[] } = { model: [], rule: [] };
  const excerpts: { real: Note[][]; composed: Note[][] }[] = [];

  const openings = listeningOpenings(pieces, card, bars, o.pieces ?? LISTENING_PIECES);
  let index = 0;
  for (const { piece, tracks, timeSignature: ts, barSteps, steps } of openings) {
    const melody = tracks[0];
    const key = estimateKey(melody);
    const truth: ChordSpan[] | undefined = piece.chords ? chordsIn(piece.chords, 0, steps) : undefined;
    const labelled = piece.chordSource === 'label' ? truth : undefined;
    const measure = (part: readonly Note[], range?: { low: number; high: number }) =>
      harmonyMeasures(melody, part, { key, steps, stepsPerBar: barSteps, ...(labelled ? { chords: labelled } : {}), ...(range ? { range } : {}) });

    const composition = await compose(model, { notes: melody, tempo: card.tempoDefault, timeSignature: ts }, { seed: seed + index });
    const arrangement = composition.arrangements[0];
    accompaniment.forEach(({ k }, i) => {
      real[i].push(measure(tracks[k] ?? [], ranges[i]));
      generated[i].push(measure(arrangement.tracks[k].notes, ranges[i]));
      if (composition.chords?.length) following.push(harmonyMeasures(melody, arrangement.tracks[k].notes, { key, steps, stepsPerBar: barSteps, chords: composition.chords }));
    });
    const ruleChords = ruleHarmonise(melody, steps, ruleSegment(barSteps, ts.numerator), key);
    const ruleParts = ruleAccompaniment(ruleChords);
    rule[0].push(measure(ruleParts.chords));
    rule[1].push(measure(ruleParts.bass));
    if (truth && truth.length > 0) {
      const ruleAcc = chordAccuracy(ruleChords, truth, steps);
      const proposed = composition.chordSource === 'harmoniser' ? composition.chords : undefined;
      const modelAcc = proposed ? chordAccuracy(proposed, truth, steps) : undefined;
      if (ruleAcc !== undefined && modelAcc !== undefined) {
        accuracy.rule.push(ruleAcc);
        accuracy.model.push(modelAcc);
      }
    }
    excerpts.push({ real: tracks.map((t) => [...t]), composed: arrangement.tracks.map((t) => [...t.notes]) });
    index++;
  }

  const system = (lists: HarmonyMeasures[][], names: readonly string[]): SystemMeasures => ({
    all: pooledMeasures(lists.flat()),
    parts: lists.map((l, i) => ({ name: names[i], measures: pooledMeasures(l) })),
  });
  const names = accompaniment.map(({ t }) => t.name);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const classifier = o.classifier !== false ? await excerptClassifier(model, excerpts, seed) : undefined;
  const chordSource = openings.find((x) => x.piece.chordSource)?.piece.chordSource;
  return {
    evaluatedOn: `${label}: the first ${bars} bars of ${index} pieces`,
    pieces: index,
    bars,
    seed,
    real: system(real, names),
    model: system(generated, names),
    rule: system(rule, ['Block chords', 'Root bass']),
    ...(chordSource ? { chordSource } : {}),
    ...(following.length ? { chordFollowing: pooledMeasures(following).chordTone } : {}),
    ...(accuracy.model.length ? { harmoniser: { accuracy: mean(accuracy.model), ruleAccuracy: mean(accuracy.rule) } } : {}),
    ...(classifier ? { realOrGenerated: classifier } : {}),
  };
}

/** The real-vs-generated classifier on the excerpts, cut into the model's windows. */
async function excerptClassifier(model: LoadedModel, excerpts: readonly { real: Note[][]; composed: Note[][] }[], seed: number): Promise<RealOrGenerated | undefined> {
  const { card } = model;
  const steps = card.network.steps;
  const realWindows: Note[][][] = [];
  const composedWindows: Note[][][] = [];
  for (const e of excerpts) {
    const length = Math.max(...e.real.flat().map((n) => n.start + n.duration), 0);
    // Both sides in the model's key, so that the classifier judges the music and not the key.
    const shift = card.conditioning?.key === 'normalised' ? normalisingShift(estimateKey(e.real[0])) : 0;
    for (let start = 0; start + steps <= length; start += steps) {
      const cut = (tracks: Note[][]) => windowNotes({ id: '', steps: length, tracks: tracks.map((t) => transpose(t, shift)) }, start, steps);
      realWindows.push(cut(e.real));
      composedWindows.push(cut(e.composed));
    }
  }
  if (realWindows.length < 10) return undefined;
  return realOrGenerated(realWindows, composedWindows, { steps, pitchLow: card.pitchLow, pitchCount: card.pitchCount, seed });
}
