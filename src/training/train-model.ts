import { cp, mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { COMMON_TIME, stepsPerBar as barSteps, type Note, type TimeSignature } from '../music/melody.js';
import { InvalidInputError } from '../errors.js';
import type { MeasuredWindow } from '../inference/accompany.js';
import { currentBackend } from '../inference/backend.js';
import { saveLayersModel } from '../inference/model-files.js';
import { FOLD_BAND_TAILS, type ModelCard, type ModelTrack } from '../inference/model-card.js';
import type { NetworkSpec } from '../inference/networks.js';
import { besideShortNote, type CodecCard } from '../inference/window-codec.js';
import { measuredWindows, normaliseKey, windowsOf, type Piece } from './dataset.js';
import type { HyperParameters } from './hyper-parameters.js';
import { trainHarmoniser, type HarmoniserModel } from '../music/harmoniser.js';
import { trainNetHarmoniser, type NetHarmoniserModel } from '../music/net-harmoniser.js';
import { percentileRange } from '../music/harmony-measures.js';
import { GanTrainer } from './trainer.js';
import { defaultTrainingThreads } from './training-threads.js';
import type { TrainingProgress } from './training-progress.js';

/** A data set ready for training: pieces per split, and how its tracks map to instruments. */
export interface TrainingData {
  readonly name: string;
  readonly train: readonly Piece[];
  /** Melodies accompanied at every evaluation during training. */
  readonly valid: readonly Piece[];
  /** Held out: the card's metrics compare generated and real music here. */
  readonly test: readonly Piece[];
  readonly tracks: readonly ModelTrack[];
  /** The meter of every piece (absent: 4/4). */
  readonly timeSignature?: TimeSignature;
}

export interface ModelIdentity {
  readonly id: string;
  readonly name: string;
  readonly genre: string;
  readonly description: string;
  readonly license?: string;
  /** The API key that asked for the model (see the card's `owner`). */
  readonly owner?: string;
}

export interface TrainModelOptions {
  readonly identity: ModelIdentity;
  readonly data: TrainingData;
  readonly hyper: HyperParameters;
  readonly pitchLow: number;
  readonly pitchCount: number;
  readonly tempo: number;
  /** 8th-note swing of the model's output when played (see the card); absent = straight. */
  readonly swing?: number;
  /** Checkpoints, samples and history go here. */
  readonly runDir: string;
  /** The finished model folder (generator + card.json + history.json); not written if stopped. */
  readonly modelDir: string;
  readonly resume: boolean;
  readonly evalEvery?: number;
  readonly sampleEvery?: number;
  readonly checkpointEvery?: number;
  /** Stop after this much training time in this run (the model is written with the iterations done). */
  readonly timeBudgetMs?: number;
  /** End the run when the similarity index stops rising (the model is written with the iterations done). */
  readonly stopWhenConverged?: boolean;
  readonly evalWindows?: number;
  readonly onProgress?: (p: TrainingProgress) => void;
  readonly onStart?: (info: { resumed: boolean; iteration: number; windows: number }) => void;
  readonly signal?: AbortSignal;
  /**
   * Harmony as a condition: train in C major / A minor (each piece moved there by its key) with the
   * data's chords as a second input channel. Needs chords on the pieces. Default: on when they have them.
   */
  readonly conditionOnChords?: boolean;
  /** Steps per chord decision of the harmoniser (default: half a bar in duple meters, a bar otherwise). */
  readonly harmonicRhythm?: number;
  /**
   * Threads that share each step's batch (1: this thread alone); training is the same up to float
   * rounding. Default: one per CPU core (training-threads.ts).
   */
  readonly threads?: number;
}

export const HARMONISER_FILE = 'harmoniser.json';

/**
 * The default harmonic rhythm of a meter: half a bar, except a whole bar in triple meters (3/4, 3/8,
 * 9/8). 6/8 and 12/8 take half a bar (a dotted-quarter beat in 6/8): on Nottingham's triple-meter
 * set (mostly 6/8) that decodes about 10 points better than a bar.
 */
export function defaultHarmonicRhythm(ts: TimeSignature): number {
  const bar = barSteps(ts);
  return ts.numerator % 3 === 0 && ts.numerator % 2 === 1 ? bar : bar / 2;
}

/** The per-genre harmoniser: an HMM over the chords of the (key-normalised) training pieces. */
export function harmoniserFor(
  data: TrainingData,
  segmentSteps: number,
  kind: 'hmm' | 'mlp' = 'hmm',
  net: { readonly hidden?: number; readonly epochs?: number } = {},
): HarmoniserModel | NetHarmoniserModel {
  const examples = data.train.filter((p) => p.chords && p.chords.length > 0).map((p) => ({
    melody: p.tracks[0], chords: p.chords ?? [], steps: p.steps, stepsPerBar: barSteps(p.timeSignature ?? data.timeSignature ?? COMMON_TIME),
  }));
  const trainedOn = `${data.name}, train split (${examples.length} pieces, in C major / A minor)`;
  return kind === 'mlp' ? trainNetHarmoniser(examples, { segmentSteps, trainedOn, ...net }) : trainHarmoniser(examples, { segmentSteps, trainedOn });
}

/** The last similarity index measured in a run. */
function similarityOf(history: readonly TrainingProgress[]): number | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].similarity !== undefined) return history[i].similarity;
  return undefined;
}

/** The window of a meter: whole bars, a multiple of 16 steps (the U-Net halves time four times). */
export function windowGeometry(ts: TimeSignature): { stepsPerBar: number; barsPerWindow: number; steps: number } {
  const stepsPerBar = barSteps(ts);
  for (let bars = 1; bars <= 16; bars++) {
    if ((stepsPerBar * bars) % 16 === 0 && stepsPerBar * bars >= 32) return { stepsPerBar, barsPerWindow: bars, steps: stepsPerBar * bars };
  }
  throw new InvalidInputError(`no window of whole ${ts.numerator}/${ts.denominator} bars fits the network (a multiple of 16 steps)`);
}

/**
 * Steps between the starts of training windows: every half bar (every bar in triple and compound
 * meters), so that the model learns where the strong beats are.
 */
export function windowHop(ts: TimeSignature): number {
  const bar = barSteps(ts);
  return ts.numerator % 3 === 0 ? bar : bar / 2;
}

/** At most `limit` of the held-out windows, spread over the pieces: the melodies evaluated while training. */
export function evaluationWindows(pieces: readonly Piece[], steps: number, pitchLow: number, pitchCount: number, limit: number): MeasuredWindow[] {
  const all = measuredWindows(pieces, steps, pitchLow, pitchCount);
  const stride = Math.max(1, Math.floor(all.length / limit));
  return all.filter((_, i) => i % stride === 0).slice(0, limit);
}

/** Lowest and highest pitch of some notes. */
function pitchRange(notes: readonly Note[]): { low: number; high: number } | undefined {
  if (notes.length === 0) return undefined;
  let low = Infinity;
  let high = -Infinity;
  for (const n of notes) {
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  return { low, high };
}

/**
 * The shortest note length to decode for a part: the smallest length that at least 97 % of the
 * part's real notes reach (so one-step blips are kept only where the music has them).
 */
export function minimumNoteSteps(notes: readonly Note[]): number {
  if (notes.length === 0) return 1;
  const lengths = notes.map((n) => n.duration).sort((a, b) => a - b);
  return Math.max(1, Math.min(4, lengths[Math.floor(lengths.length * 0.03)]));
}

/**
 * The shortest note a monophonic part plays alone (not beside another note as short), given its
 * shortest note: one step longer when lone notes of the shortest length are under 3 % of the part's
 * notes (the same share `minimumNoteSteps` keeps a length for). Real quartet parts play 16ths in runs,
 * rarely one between longer notes; a generated line's lone 16ths are mostly flicker.
 */
export function minimumLoneNoteSteps(parts: readonly (readonly Note[])[], minSteps: number): number {
  let notes = 0;
  let lone = 0;
  for (const part of parts) {
    const sorted = [...part].sort((a, b) => a.start - b.start);
    notes += sorted.length;
    sorted.forEach((n, i) => {
      if (n.duration === minSteps && !besideShortNote(sorted, i, minSteps + 1)) lone += 1;
    });
  }
  return notes > 0 && lone < 0.03 * notes ? minSteps + 1 : minSteps;
}

/**
 * The coarsest rhythmic grid (a divisor of the bar, at most a quarter bar) on which at least 95 % of a
 * part's notes start: where decoding puts its onsets.
 */
export function onsetGridOf(notes: readonly Note[], stepsPerBar: number): number {
  if (notes.length === 0) return 1;
  for (const grid of [8, 6, 4, 3, 2]) {
    if (stepsPerBar % grid !== 0 || grid > stepsPerBar / 2) continue;
    const on = notes.filter((n) => n.start % grid === 0).length;
    if (on >= 0.95 * notes.length) return grid;
  }
  return 1;
}

/**
 * What decoding needs to know of each part, from the training pieces: the rows it uses (in the key the
 * model sees), and for chord-conditioned models the range it plays in its own keys, its shortest
 * notes and the grid its notes start on.
 */
export function trackDecoding(
  tracks: readonly ModelTrack[],
  played: TrainingData,
  seen: TrainingData,
  conditioned: boolean,
  stepsPerBar: number,
): ModelTrack[] {
  return tracks.map((t, k) => {
    const notes = seen.train.flatMap((p) => p.tracks[k] ?? []);
    // The register the instrument keeps to in its own keys (the narrowest fold band, 2nd–98th
    // percentile): output is folded into it until calibration chooses a band.
    const [tail] = FOLD_BAND_TAILS;
    const playRange = percentileRange(played.train.flatMap((p) => p.tracks[k] ?? []), tail, 1 - tail);
    // Chord-conditioned models decode in the rows the part really uses (its 1st–99th percentile),
    // not out to its rarest extremes.
    const range = conditioned ? percentileRange(notes, 0.01, 0.99) : pitchRange(notes);
    return {
      ...t,
      range,
      ...(conditioned && playRange ? { playRange } : {}),
      ...(conditioned && t.role === 'accompaniment' ? shortestNotes(t, notes, seen.train.map((p) => p.tracks[k] ?? []), stepsPerBar) : {}),
    };
  });
}

/** An accompaniment's shortest notes and onset grid, from its notes (all pieces) and its parts (piece by piece). */
function shortestNotes(t: ModelTrack, notes: readonly Note[], parts: readonly (readonly Note[])[], stepsPerBar: number): Pick<ModelTrack, 'minSteps' | 'minLoneSteps' | 'onsetGrid'> {
  const minSteps = minimumNoteSteps(notes);
  // Lone short notes matter only in a line, and only where the data keeps one-step notes at all.
  const minLoneSteps = t.monophonic && minSteps === 1 ? minimumLoneNoteSteps(parts, minSteps) : minSteps;
  return { minSteps, ...(minLoneSteps > minSteps ? { minLoneSteps } : {}), onsetGrid: onsetGridOf(notes, stepsPerBar) };
}

/**
 * Only the pieces whose bars fit the window's bars: the same length (a 6/8 set also takes 3/4 tunes:
 * both are 12 steps) or a whole fraction of it (2/4 in 4/4 windows, 3/8 in 6/8 windows).
 */
export function withWindowBars(data: TrainingData): TrainingData {
  const ts = data.timeSignature ?? COMMON_TIME;
  const bar = windowGeometry(ts).stepsPerBar;
  const same = (pieces: readonly Piece[]) => pieces.filter((p) => bar % barSteps(p.timeSignature ?? ts) === 0);
  return { ...data, train: same(data.train), valid: same(data.valid), test: same(data.test) };
}

/** The training data moved to C major / A minor, piece by piece. */
export function keyNormalised(data: TrainingData): TrainingData {
  const move = (pieces: readonly Piece[]) => pieces.map((p) => normaliseKey(p).piece);
  return { ...data, train: move(data.train), valid: move(data.valid), test: move(data.test) };
}

/** Trains (or resumes) a model and writes the model folder with its card. */
export async function trainModel(o: TrainModelOptions): Promise<ModelCard> {
  const hasChords = o.data.train.length > 0 && o.data.train.every((p) => p.chords && p.chords.length > 0);
  const conditioned = o.conditionOnChords ?? hasChords;
  if (conditioned && !hasChords) throw new InvalidInputError(`${o.data.name}: chord conditioning needs chords on every training piece`);
  const timeSignature = o.data.timeSignature ?? COMMON_TIME;
  const geometry = windowGeometry(timeSignature);
  // Only pieces whose bars are the window's bars (a 6/8 set also takes 3/4 tunes: both are 12 steps).
  const fitted = withWindowBars(o.data);
  const data = conditioned ? keyNormalised(fitted) : fitted;
  const spec: NetworkSpec = {
    steps: geometry.steps,
    pitches: o.pitchCount,
    tracks: data.tracks.length,
    filters: o.hyper.filters,
    noiseChannels: 8 * o.hyper.filters,
    conditionChannels: conditioned ? 2 : 1,
  };
  const hop = windowHop(timeSignature);
  const windows = windowsOf(data.train, { steps: spec.steps, hop, maxMelodyRest: 0.5, pitchLow: o.pitchLow, pitchCount: o.pitchCount });
  if (windows.length === 0) throw new InvalidInputError(`${data.name}: no training window fits pitches ${o.pitchLow}–${o.pitchLow + o.pitchCount - 1}`);
  const tracks = trackDecoding(data.tracks, fitted, data, conditioned, geometry.stepsPerBar);
  const melodyRange = tracks[0].range ?? { low: 60, high: 84 };
  const codecCard: CodecCard = {
    network: spec,
    pitchLow: o.pitchLow,
    tracks,
    threshold: 0,
    ...(conditioned ? { conditioning: { chords: true, key: 'normalised' as const } } : {}),
  };
  const threads = o.threads ?? defaultTrainingThreads(o.hyper.batchSize, currentBackend()?.name);
  const trainer = new GanTrainer({
    hyper: o.hyper,
    threads,
    card: codecCard,
    stepsPerBar: geometry.stepsPerBar,
    timeSignature,
    tempo: o.tempo,
    pieces: data.train,
    windows,
    evalWindows: evaluationWindows(data.valid, spec.steps, o.pitchLow, o.pitchCount, o.evalWindows ?? 64),
    outDir: o.runDir,
    evalEvery: o.evalEvery ?? 25,
    sampleEvery: o.sampleEvery ?? 100,
    checkpointEvery: o.checkpointEvery ?? 25,
    timeBudgetMs: o.timeBudgetMs,
    ...(o.stopWhenConverged ? { stopWhenConverged: true } : {}),
    onProgress: o.onProgress,
    signal: o.signal,
  });
  try {
    const resumed = await trainer.init(o.resume);
    o.onStart?.({ resumed, iteration: trainer.iteration, windows: windows.length });
    await trainer.run();
    const card: ModelCard = {
      ...o.identity,
      tracks,
      pitchLow: o.pitchLow,
      pitchCount: o.pitchCount,
      stepsPerBar: geometry.stepsPerBar,
      barsPerWindow: geometry.barsPerWindow,
      timeSignature,
      tempoDefault: o.tempo,
      ...(o.swing ? { swing: o.swing } : {}),
      melodyRange,
      network: codecCard.network,
      ...(codecCard.conditioning ? { conditioning: codecCard.conditioning } : {}),
      threshold: 0,
      training: {
        dataset: data.name,
        split: `train (${data.train.length} pieces, ${windows.length} windows of ${geometry.barsPerWindow} bars, hop ${hop} steps, ${conditioned ? 'in C major / A minor, ' : ''}±${o.hyper.transpose} semitones)`,
        windows: windows.length,
        iterations: trainer.iteration,
        hyperParameters: { ...o.hyper, iterations: trainer.iteration },
        seconds: Math.round(trainer.elapsedMs / 1000),
        ...(trainer.history.at(-1)?.converged ? { converged: true } : {}),
        ...(similarityOf(trainer.history) !== undefined ? { similarity: similarityOf(trainer.history) } : {}),
        backend: currentBackend()?.name ?? 'unknown',
        machine: `${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${threads} training thread${threads === 1 ? '' : 's'}`,
      },
    };
    // A stopped run keeps its checkpoint (resume it) but does not pass for a finished model.
    if (o.signal?.aborted) return card;
    await mkdir(o.modelDir, { recursive: true });
    if (conditioned) {
      const harmoniser = harmoniserFor(data, o.harmonicRhythm ?? defaultHarmonicRhythm(timeSignature));
      await writeFile(join(o.modelDir, HARMONISER_FILE), `${JSON.stringify(harmoniser)}\n`);
      card.conditioning = { chords: true, key: 'normalised', harmoniser: HARMONISER_FILE };
    }
    await saveLayersModel(trainer.generatorModel, o.modelDir, 'model');
    await writeFile(join(o.modelDir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    await cp(join(o.runDir, 'history.json'), join(o.modelDir, 'history.json'));
    return card;
  } finally {
    trainer.dispose();
  }
}
