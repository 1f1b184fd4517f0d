import { cp, mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Note } from '../music/melody.js';
import { currentBackend } from '../inference/backend.js';
import { saveLayersModel } from '../inference/model-files.js';
import type { ModelCard, ModelTrack } from '../inference/model-card.js';
import type { NetworkSpec } from '../inference/networks.js';
import { measuredWindows, windowsOf, type Piece } from './dataset.js';
import type { HyperParameters } from './hyper-parameters.js';
import { GanTrainer, type TrainingProgress } from './trainer.js';

/** A data set ready for training: pieces per split, and how its tracks map to instruments. */
export interface TrainingData {
  readonly name: string;
  readonly train: readonly Piece[];
  /** Melodies accompanied at every evaluation during training. */
  readonly valid: readonly Piece[];
  /** Held out: the card's metrics compare generated and real music here. */
  readonly test: readonly Piece[];
  readonly tracks: readonly ModelTrack[];
}

export interface ModelIdentity {
  readonly id: string;
  readonly name: string;
  readonly genre: string;
  readonly description: string;
  readonly license?: string;
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
  readonly evalWindows?: number;
  readonly onProgress?: (p: TrainingProgress) => void;
  readonly onStart?: (info: { resumed: boolean; iteration: number; windows: number }) => void;
  readonly signal?: AbortSignal;
}

export const STEPS_PER_BAR = 16;
export const BARS_PER_WINDOW = 2;
const WINDOW_STEPS = STEPS_PER_BAR * BARS_PER_WINDOW;

/** At most `limit` of the held-out windows, spread over the pieces: the melodies evaluated while training. */
export function evaluationWindows(pieces: readonly Piece[], pitchLow: number, pitchCount: number, limit: number): Note[][][] {
  const all = measuredWindows(pieces, WINDOW_STEPS, pitchLow, pitchCount);
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

/** Trains (or resumes) a model and writes the model folder with its card. */
export async function trainModel(o: TrainModelOptions): Promise<ModelCard> {
  const spec: NetworkSpec = {
    steps: WINDOW_STEPS,
    pitches: o.pitchCount,
    tracks: o.data.tracks.length,
    filters: o.hyper.filters,
    noiseChannels: 8 * o.hyper.filters,
  };
  const windows = windowsOf(o.data.train, { steps: WINDOW_STEPS, hop: 4, maxMelodyRest: 0.5, pitchLow: o.pitchLow, pitchCount: o.pitchCount });
  if (windows.length === 0) throw new Error(`${o.data.name}: no training window fits pitches ${o.pitchLow}–${o.pitchLow + o.pitchCount - 1}`);
  const tracks = o.data.tracks.map((t, k) => ({ ...t, range: pitchRange(o.data.train.flatMap((p) => p.tracks[k] ?? [])) }));
  const melodyRange = tracks[0].range ?? { low: 60, high: 84 };
  const trainer = new GanTrainer({
    hyper: o.hyper,
    spec,
    pitchLow: o.pitchLow,
    stepsPerBar: STEPS_PER_BAR,
    tracks,
    tempo: o.tempo,
    pieces: o.data.train,
    windows,
    evalWindows: evaluationWindows(o.data.valid, o.pitchLow, o.pitchCount, o.evalWindows ?? 64),
    outDir: o.runDir,
    evalEvery: o.evalEvery ?? 25,
    sampleEvery: o.sampleEvery ?? 100,
    checkpointEvery: o.checkpointEvery ?? 25,
    timeBudgetMs: o.timeBudgetMs,
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
      stepsPerBar: STEPS_PER_BAR,
      barsPerWindow: BARS_PER_WINDOW,
      timeSignature: { numerator: 4, denominator: 4 },
      tempoDefault: o.tempo,
      ...(o.swing ? { swing: o.swing } : {}),
      melodyRange,
      network: spec,
      threshold: 0,
      training: {
        dataset: o.data.name,
        split: `train (${o.data.train.length} pieces, ${windows.length} windows of ${BARS_PER_WINDOW} bars, hop 1 beat, ±${o.hyper.transpose} semitones)`,
        windows: windows.length,
        iterations: trainer.iteration,
        hyperParameters: { ...o.hyper, iterations: trainer.iteration },
        seconds: Math.round(trainer.elapsedMs / 1000),
        backend: currentBackend()?.name ?? 'unknown',
        machine: `${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`,
      },
    };
    // A stopped run keeps its checkpoint (resume it) but does not pass for a finished model.
    if (o.signal?.aborted) return card;
    await mkdir(o.modelDir, { recursive: true });
    await saveLayersModel(trainer.generatorModel, o.modelDir, 'model');
    await writeFile(join(o.modelDir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    await cp(join(o.runDir, 'history.json'), join(o.modelDir, 'history.json'));
    return card;
  } finally {
    trainer.dispose();
  }
}
